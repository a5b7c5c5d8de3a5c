# make install: the programs, their data, and the files that hook them into a Debian
# server (systemd units, nginx site, cron jobs, logrotate, example configuration).
#
#   make install PREFIX=/usr/local DESTDIR=
#
# Layout (DESTDIR prefixes everything; PREFIX is where the files will be at run time):
#   $(PREFIX)/bin/imghost-fcgi, imghost-admin
#   $(PREFIX)/share/imghost/{sql,policy,nginx,static,locale,docs,scripts}/
#   /lib/systemd/system/imghost.socket, imghost.service, imghost-expire.service,
#                                           imghost-expire.timer (not enabled: cron runs expire)
#   /etc/nginx/sites-available/imghost     only if absent (the admin edits it)
#   /etc/cron.d/imghost                     fsck hourly, backup daily, expire every minute
#   /etc/logrotate.d/imghost                app.log daily, SIGHUP through systemd
#   /etc/imghost/imghost.conf.example       always; copied to imghost.conf only if absent
# No user is created and no service is started: see docs/deploy.md.
# Variables below may be set on the command line (SERVER_NAME=img.example.org ...).

PREFIX        ?= /usr/local
DESTDIR       ?=
BINDIR        ?= $(PREFIX)/bin
SHAREDIR      ?= $(PREFIX)/share/imghost
SYSCONFDIR    ?= /etc
CONFDIR       ?= $(SYSCONFDIR)/imghost
UNITDIR       ?= /lib/systemd/system
STATEDIR      ?= /var/lib/imghost
LOGDIR        ?= /var/log/imghost
BACKUPDIR     ?= /var/backups/imghost
RUNDIR        ?= /run/imghost
IMGHOST_USER  ?= imghost
IMGHOST_GROUP ?= imghost
WEB_GROUP     ?= www-data
SERVER_NAME   ?= localhost
LISTEN        ?= 80
# nginx's client_max_body_size on the upload locations: the workers' max_request_size
# as the built imghost-admin reads it from the environment (the defaults unless
# IMGHOST_MAX_FILE_SIZE, IMGHOST_MAX_FILES or IMGHOST_MAX_REQUEST_SIZE is set); after changing it in
# imghost.conf, change the site too.
MAX_BODY      ?= $(shell $(BUILD)/imghost-admin config get max_request_size 2>/dev/null)

# The site's access log (a format that never holds a delete token).
NGINX_ACCESS_LOG ?= /var/log/nginx/imghost-access.log

INSTALL       ?= install
# @RELOAD@ in the logrotate configuration: tell the worker pool to reopen app.log.
INSTALL_RELOAD := if systemctl is-active --quiet imghost.service; then systemctl kill --kill-whom=main --signal=HUP imghost.service; fi

INSTALL_SUBST = sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SHARE@|$(SHAREDIR)|g' \
  -e 's|@CONFDIR@|$(CONFDIR)|g' -e 's|@CONFIG@|$(CONFDIR)/imghost.conf|g' -e 's|@STATEDIR@|$(STATEDIR)|g' \
  -e 's|@LOGDIR@|$(LOGDIR)|g' -e 's|@LOG_FILE@|$(LOGDIR)/app.log|g' -e 's|@STORE@|$(STATEDIR)/store|g' \
  -e 's|@SOCKET@|$(RUNDIR)/imghost.sock|g' -e 's|@USER@|$(IMGHOST_USER)|g' -e 's|@GROUP@|$(IMGHOST_GROUP)|g' \
  -e 's|@WEB_GROUP@|$(WEB_GROUP)|g' -e 's|@LISTEN@|$(LISTEN)|g' -e 's|@SERVER_NAME@|$(SERVER_NAME)|g' \
  -e 's|@MAX_BODY@|$(MAX_BODY)|g' -e 's|@ACCESS_LOG@|$(NGINX_ACCESS_LOG)|g' -e 's|@ADMIN@|$(BINDIR)/imghost-admin|g' \
  -e 's|@SCRIPTS@|$(SHAREDIR)/scripts|g' -e 's|@BACKUP_DIR@|$(BACKUPDIR)|g' -e 's|@RELOAD@|$(INSTALL_RELOAD)|g' \
  -e 's|@S3_HTTP@||' -e 's|@S3_SERVER@||' -e 's|@ORIGINAL_ELSE@|=404|' -e 's|@THUMB_ELSE@|@make_thumbnail|' \
  -e 's|@DOWNLOAD_ELSE@|=404|' -e 's|@VARIANT_ELSE@|@make_variant|'

INSTALL_SCRIPTS := scripts/backup scripts/restore scripts/rotate-logs scripts/s3-nginx
INSTALL_SCRIPT_DATA := scripts/ops-lib.sh scripts/logrotate.conf.in

install: all
	@echo "  INSTALL $(DESTDIR)$(PREFIX)"
	$(Q)$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SHAREDIR)/sql $(DESTDIR)$(SHAREDIR)/policy \
	  $(DESTDIR)$(SHAREDIR)/nginx $(DESTDIR)$(SHAREDIR)/static $(DESTDIR)$(SHAREDIR)/scripts $(DESTDIR)$(UNITDIR) \
	  $(DESTDIR)$(SYSCONFDIR)/nginx/sites-available $(DESTDIR)$(SYSCONFDIR)/cron.d \
	  $(DESTDIR)$(SYSCONFDIR)/logrotate.d $(DESTDIR)$(CONFDIR)
	$(Q)$(INSTALL) -m 0755 $(BUILD)/imghost-fcgi $(BUILD)/imghost-admin $(DESTDIR)$(BINDIR)/
	$(Q)$(INSTALL) -m 0644 sql/*.sql $(DESTDIR)$(SHAREDIR)/sql/
	$(Q)$(INSTALL) -m 0644 fcgi/image/policy/* $(DESTDIR)$(SHAREDIR)/policy/
	$(Q)$(INSTALL) -m 0644 nginx/* $(DESTDIR)$(SHAREDIR)/nginx/
	$(Q)$(INSTALL) -m 0644 static/* $(DESTDIR)$(SHAREDIR)/static/
	$(Q)for mo in $(MO_FILES); do lang=$${mo#$(BUILD)/locale/}; lang=$${lang%%/*}; \
	  $(INSTALL) -d $(DESTDIR)$(SHAREDIR)/locale/$$lang/LC_MESSAGES && \
	  $(INSTALL) -m 0644 $$mo $(DESTDIR)$(SHAREDIR)/locale/$$lang/LC_MESSAGES/imghost.mo || exit 1; done
	$(Q)if [ -d docs ]; then $(INSTALL) -d $(DESTDIR)$(SHAREDIR)/docs && cp -R docs/. $(DESTDIR)$(SHAREDIR)/docs/ \
	  && chmod -R u=rwX,go=rX $(DESTDIR)$(SHAREDIR)/docs; fi
	$(Q)$(INSTALL) -m 0755 $(INSTALL_SCRIPTS) $(DESTDIR)$(SHAREDIR)/scripts/
	$(Q)$(INSTALL) -m 0644 $(INSTALL_SCRIPT_DATA) $(DESTDIR)$(SHAREDIR)/scripts/
	$(Q)for u in imghost.socket imghost.service imghost-expire.service imghost-expire.timer; do \
	  $(INSTALL_SUBST) systemd/$$u >$(DESTDIR)$(UNITDIR)/$$u && chmod 0644 $(DESTDIR)$(UNITDIR)/$$u || exit 1; done
	$(Q)# The site: a rendered copy in share/ always, sites-available only if there is none.
	$(Q)# Rate limits and the metrics listener as the configuration says (imghost.conf's
	$(Q)# defaults unless IMGHOST_* is set); after changing them, change the site too.
	$(Q)# nginx's own errors in every language: from the catalogs just built.
	$(Q)IMGHOST_LOCALE_DIR=$(BUILD)/locale $(BUILD)/imghost-admin config nginx-sed >$(BUILD)/nginx-site.sed
	$(Q)$(INSTALL_SUBST) nginx/imghost-site.conf.in | sed -f $(BUILD)/nginx-site.sed \
	  >$(DESTDIR)$(SHAREDIR)/nginx/imghost-site.conf
	$(Q)if [ -e $(DESTDIR)$(SYSCONFDIR)/nginx/sites-available/imghost ]; then \
	  echo "  kept $(DESTDIR)$(SYSCONFDIR)/nginx/sites-available/imghost (new one: $(SHAREDIR)/nginx/imghost-site.conf)"; \
	else $(INSTALL) -m 0644 $(DESTDIR)$(SHAREDIR)/nginx/imghost-site.conf $(DESTDIR)$(SYSCONFDIR)/nginx/sites-available/imghost; fi
	$(Q)# cron.d: log rotation is the system logrotate's job here (logrotate.d below).
	$(Q)$(INSTALL_SUBST) scripts/crontab.in | sed -e '/Daily log rotation/d' -e '/rotate-logs/d' \
	  >$(DESTDIR)$(SYSCONFDIR)/cron.d/imghost && chmod 0644 $(DESTDIR)$(SYSCONFDIR)/cron.d/imghost
	$(Q)$(INSTALL_SUBST) scripts/logrotate.conf.in >$(DESTDIR)$(SYSCONFDIR)/logrotate.d/imghost \
	  && chmod 0644 $(DESTDIR)$(SYSCONFDIR)/logrotate.d/imghost
	$(Q)$(INSTALL_SUBST) imghost.conf.example >$(DESTDIR)$(CONFDIR)/imghost.conf.example \
	  && chmod 0644 $(DESTDIR)$(CONFDIR)/imghost.conf.example
	$(Q)if [ -e $(DESTDIR)$(CONFDIR)/imghost.conf ]; then echo "  kept $(DESTDIR)$(CONFDIR)/imghost.conf"; \
	else $(INSTALL) -m 0644 $(DESTDIR)$(CONFDIR)/imghost.conf.example $(DESTDIR)$(CONFDIR)/imghost.conf; fi

.PHONY: install
