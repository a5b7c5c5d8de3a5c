// imghost: what JavaScript adds to pages that work without it.  No framework, no build
// step, no third-party code: a drop zone, paste from the clipboard, previews, one upload
// request per file with its own progress bar (into one album created first when the
// form asks for one), copy buttons, absolute embed codes, and "My uploads" (the uploads
// of this browser with their delete links, in localStorage).
'use strict';

(function () {
  document.documentElement.classList.add('js');

  const STORE_KEY = 'imghost.uploads';
  const DRAFT_KEY = 'imghost.draft-description';
  const PARALLEL_UPLOADS = 2;
  // Files over this size go through the resumable upload (tus, /api/v1/uploads) in pieces
  // of RESUMABLE_PIECE, with a Pause button: on a bad network a dropped connection costs
  // one piece, not the whole file, and a reload carries on where it stopped.
  // tus-js-client's browser build, /static/tus.js, is loaded only then; without it (not
  // installed) those files go as one plain request like the others.
  const RESUMABLE_OVER = 512 * 1024;
  const RESUMABLE_PIECE = 1024 * 1024;
  let tusLoading = null;

  function loadTus() {
    if (!tusLoading) {
      tusLoading = new Promise(function (resolve) {
        if (window.tus) { resolve(window.tus); return; }
        const script = document.createElement('script');
        script.src = '/static/tus.js';
        script.addEventListener('load', function () { resolve(window.tus && window.tus.isSupported ? window.tus : null); });
        script.addEventListener('error', function () { resolve(null); });
        document.head.append(script);
      });
    }
    return tusLoading;
  }

  // --- small helpers -------------------------------------------------------------------

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'text') node.textContent = v;
      else if (k === 'className') node.className = v;
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children || []) node.append(c);
    return node;
  }

  // The page's words for this script (render/script_messages.cpp): the English text is
  // the key, `{}` the values in order; English pages carry none.
  let messages = null;
  function t(english) {
    if (messages === null) {
      try { messages = JSON.parse(document.body.dataset.messages || '{}'); } catch (err) { messages = {}; }
    }
    let text = typeof messages[english] === 'string' ? messages[english] : english;
    for (let i = 1; i < arguments.length; i++) text = text.replace('{}', String(arguments[i]));
    return text;
  }

  function announce(message) {
    const live = document.getElementById('announce');
    if (!live) return;
    live.textContent = '';
    // A new text node, a moment later, so screen readers announce a repeated message too.
    setTimeout(function () { live.textContent = message; }, 30);
  }

  function humanSize(bytes) {
    if (bytes < 1024) return t('Bytes: {}', bytes);
    const units = [t('KiB'), t('MiB'), t('GiB')];
    let v = bytes / 1024;
    let u = 0;
    while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
    let n = v < 10 ? v.toFixed(1) : v.toFixed(0);
    if (n.endsWith('.0')) n = n.slice(0, -2);
    if (n.includes('.')) n = t('{}.{}', n.split('.')[0], n.split('.')[1]);
    return n + ' ' + units[u];
  }

  function absolute(url) {
    return /^https?:\/\//.test(url) ? url : location.origin + url;
  }

  // --- "My uploads": kept in this browser only -----------------------------------------------

  const mine = {
    load() {
      try {
        const list = JSON.parse(localStorage.getItem(STORE_KEY) || '[]');
        return Array.isArray(list) ? list : [];
      } catch (e) {
        return [];
      }
    },
    save(list) {
      try { localStorage.setItem(STORE_KEY, JSON.stringify(list)); } catch (e) { /* full or disabled */ }
    },
    remember(item) {
      const list = this.load().filter(function (x) { return x.id !== item.id; });
      const old = this.load().find(function (x) { return x.id === item.id; }) || {};
      list.unshift(Object.assign(old, item));
      this.save(list);
    },
    forget(id) {
      this.save(this.load().filter(function (x) { return x.id !== id; }));
    },
    find(id) {
      return this.load().find(function (x) { return x.id === id; });
    },
  };

  function rememberUploaded(obj) {
    mine.remember({
      id: obj.id,
      name: obj.original_filename || obj.filename,
      page: '/i/' + obj.id,
      url: obj.url,
      thumb: obj.thumbnail_url,
      delete_url: obj.delete_url,
      created_at: obj.created_at,
      visibility: obj.visibility,
    });
  }

  // A result page rendered with delete links (the uploading browser's cookie): keep them.
  function rememberFromResultPage() {
    for (const card of document.querySelectorAll('article.result[data-id]')) {
      const del = card.querySelector('input[data-delete-url]');
      if (!del) continue;
      mine.remember({
        id: card.dataset.id,
        name: card.dataset.name,
        page: card.dataset.page,
        thumb: card.dataset.thumb,
        delete_url: del.value,
      });
    }
    for (const gone of document.querySelectorAll('[data-deleted-id]')) mine.forget(gone.dataset.deletedId);
  }

  // On an image's page or a result page: the delete link this browser holds for it.
  function showOwnerActions() {
    for (const slot of document.querySelectorAll('[data-owner-for]')) {
      const item = mine.find(slot.dataset.ownerFor);
      if (!item || !item.delete_url) continue;
      const card = slot.closest('article');
      if (card && card.querySelector('input[data-delete-url]')) continue;  // already shown
      slot.replaceChildren(
        t('This browser uploaded it: '),
        el('a', { href: item.delete_url, className: 'delete-action', text: t('Delete this image') }),
        ' (the link is also under ',
        el('a', { href: '/mine', text: t('My uploads') }),
        ').');
      slot.hidden = false;
    }
  }

  function renderMine(root) {
    const list = root.querySelector('.mine-list');
    const empty = root.querySelector('.empty-note');
    const items = mine.load();
    list.replaceChildren();
    empty.hidden = items.length > 0;
    for (const item of items) {
      const img = el('img', { src: item.thumb || '', alt: '', width: 80, height: 80, loading: 'lazy' });
      const forget = el('button', { type: 'button', className: 'secondary small', text: t('Forget') });
      forget.setAttribute('aria-label', t('Forget {} in this list', item.name || item.id));
      forget.addEventListener('click', function () {
        mine.forget(item.id);
        renderMine(root);
        announce(t('Removed from this list. The image itself is still online.'));
      });
      const links = el('p', { className: 'links' }, [
        el('a', { href: item.page || ('/i/' + item.id), text: t('Page') }),
        item.delete_url ? el('a', { href: item.delete_url, text: t('Delete link') }) : '',
        forget,
      ]);
      const when = item.created_at ? el('span', { className: 'meta', text: ' · ' + item.created_at.replace('T', ' ').replace('Z', ' UTC') }) : '';
      list.append(el('li', {}, [
        el('a', { href: item.page || ('/i/' + item.id), tabindex: -1, 'aria-hidden': 'true' }, [img]),
        el('div', {}, [el('p', {}, [el('strong', { text: item.name || item.id }), when]), links]),
      ]));
    }
  }

  // --- codes: absolute links and copy buttons ------------------------------------------------

  function absoluteCodes() {
    // Without a configured public base URL the worker writes relative links; this page's
    // own origin makes them usable elsewhere.  Only the exact relative URLs of this image
    // are replaced, in one pass.
    for (const block of document.querySelectorAll('.codes[data-paths]')) {
      const paths = block.dataset.paths.split(' ').filter(Boolean)
        .sort(function (a, b) { return b.length - a.length; });
      if (!paths.length) continue;
      const pattern = new RegExp(paths.map(function (p) { return p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }).join('|'), 'g');
      for (const input of block.querySelectorAll('input, textarea')) {
        input.value = input.value.replace(pattern, function (m) { return location.origin + m; });
      }
    }
    for (const input of document.querySelectorAll('input[data-delete-url]')) input.value = absolute(input.value);
    for (const span of document.querySelectorAll('[data-origin]')) span.textContent = location.origin;
  }

  async function copyText(text, input) {
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(text);
        return true;
      }
    } catch (e) { /* fall back below */ }
    if (!input) return false;
    input.focus();
    input.select();
    try { return document.execCommand('copy'); } catch (e) { return false; }
  }

  function copyButtons() {
    for (const field of document.querySelectorAll('.code')) {
      const input = field.querySelector('input, textarea');
      const label = field.querySelector('label');
      if (!input || field.querySelector('button.copy')) continue;
      const button = el('button', { type: 'button', className: 'copy secondary small', text: t('Copy') });
      button.setAttribute('aria-label', t('Copy: {}', label ? label.textContent : t('code')));
      const row = el('div', { className: 'row' });
      input.replaceWith(row);
      row.append(input, button);
      input.addEventListener('focus', function () { input.select(); });
      button.addEventListener('click', async function () {
        const ok = await copyText(input.value, input);
        button.textContent = ok ? t('Copied') : t('Select and copy');
        announce(ok ? t('Copied to the clipboard') : t('Copying failed: the text is selected, copy it with the keyboard'));
        setTimeout(function () { button.textContent = t('Copy'); }, 2000);
      });
    }
  }

  // --- the upload form -------------------------------------------------------------------

  function setUpUploader(form) {
    const input = form.querySelector('input[type=file]');
    const zone = form.querySelector('.dropzone');
    const queue = form.querySelector('.queue');
    const status = form.querySelector('.form-status');
    const button = form.querySelector('button[type=submit]');
    const description = form.querySelector('textarea[name=description]');
    const maxBytes = Number(form.dataset.maxFileBytes);
    const maxVideoBytes = Number(form.dataset.maxVideoBytes || 0);
    const maxFiles = Number(form.dataset.maxFiles);
    const accepted = (form.dataset.accept || '').split(',');
    const items = [];
    let busy = false;
    // The album of this form's uploads ("Make these files an album"), once created: a
    // second submission (after some files were refused) fills the same one.
    let album = null;

    // The files are held here (the input is only a way to add them), so a drop, a paste
    // and several choices add up.
    input.required = false;
    input.addEventListener('change', function () {
      add(Array.from(input.files));
      input.value = '';
    });

    // What was typed survives a reload or a Back (sessionStorage: this tab only).
    if (description) {
      try {
        const draft = sessionStorage.getItem(DRAFT_KEY);
        if (draft && !description.value) description.value = draft;
      } catch (e) { /* storage disabled */ }
      description.addEventListener('input', function () {
        try { sessionStorage.setItem(DRAFT_KEY, description.value); } catch (e) { /* storage disabled */ }
      });
    }

    for (const type of ['dragenter', 'dragover']) {
      zone.addEventListener(type, function (e) {
        e.preventDefault();
        zone.classList.add('over');
      });
    }
    for (const type of ['dragleave', 'dragend']) {
      zone.addEventListener(type, function () { zone.classList.remove('over'); });
    }
    zone.addEventListener('drop', function (e) {
      e.preventDefault();
      zone.classList.remove('over');
      if (e.dataTransfer && e.dataTransfer.files) add(Array.from(e.dataTransfer.files));
    });
    // A file dropped next to the zone must not make the browser leave the page.
    window.addEventListener('dragover', function (e) { e.preventDefault(); });
    window.addEventListener('drop', function (e) { e.preventDefault(); });

    document.addEventListener('paste', function (e) {
      const data = e.clipboardData;
      if (!data) return;
      const files = Array.from(data.files || []);
      if (!files.length) {
        for (const item of Array.from(data.items || [])) {
          if (item.kind === 'file') { const f = item.getAsFile(); if (f) files.push(f); }
        }
      }
      if (!files.length) return;
      e.preventDefault();
      const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
      add(files.map(function (f, i) {
        if (f.name && f.name !== 'image.png') return f;
        const ext = (f.type.split('/')[1] || 'png').replace('jpeg', 'jpg');
        return new File([f], 'pasted-' + stamp + (i ? '-' + i : '') + '.' + ext, { type: f.type });
      }));
      announce(t('Images pasted: {}', files.length));
    });

    function isVideo(file) {
      return /^video\//.test(file.type || '') || /\.(mp4|m4v|mov|webm|mkv)$/i.test(file.name || '');
    }

    function problemOf(file) {
      if (accepted.length && accepted[0] && file.type && !accepted.includes(file.type))
        return t('not a {} image', form.dataset.formats || t('accepted'));
      // The server judges by content; the browser's type only picks the limit shown early.
      if (isVideo(file) && maxVideoBytes) {
        if (file.size > maxVideoBytes) return t('over the limit of {} per video', humanSize(maxVideoBytes));
      } else if (file.size > maxBytes) return t('over the limit of {} per file', humanSize(maxBytes));
      if (file.size === 0) return t('empty file');
      return null;
    }

    function add(files) {
      for (const file of files) {
        const problem = problemOf(file);
        // A video's preview is the video itself, muted and still (its first frame): an
        // <img> of it would show a broken image.
        const preview = isVideo(file)
          ? el('video', { muted: true, preload: 'metadata', width: 64, height: 64 })
          : el('img', { alt: '', width: 64, height: 64 });
        if (isVideo(file)) {
          preview.muted = true;  // the attribute alone, set after creation, does not mute it
          preview.setAttribute('aria-hidden', 'true');
        }
        if (!problem) preview.src = URL.createObjectURL(file);
        const remove = el('button', { type: 'button', className: 'secondary small', text: t('Remove') });
        remove.setAttribute('aria-label', t('Remove {}', file.name));
        const progress = el('progress', { max: 100, value: 0, hidden: true });
        progress.setAttribute('aria-label', t('Upload of {}', file.name));
        const state = el('p', { className: 'state' + (problem ? ' error' : ''), text: problem ? t('Will not be sent: {}', problem) : t('Ready') });
        const li = el('li', {}, [preview, el('div', {}, [
          el('span', { className: 'name', text: file.name }), ' ',
          el('span', { className: 'meta', text: humanSize(file.size) })]), remove, progress, state]);
        const item = { file: file, li: li, progress: progress, state: state, problem: problem, result: null };
        remove.addEventListener('click', function () {
          if (busy) return;
          items.splice(items.indexOf(item), 1);
          if (preview.src) URL.revokeObjectURL(preview.src);
          li.remove();
          refresh();
        });
        items.push(item);
        queue.append(li);
      }
      refresh();
    }

    function refresh() {
      queue.hidden = items.length === 0;
      const ok = items.filter(function (i) { return !i.problem; }).length;
      if (ok > maxFiles) showStatus(t('Files in one upload: at most {}. Remove {} of them.', maxFiles, ok - maxFiles), true);
      else if (items.length) showStatus(ok + ' file' + (ok === 1 ? '' : 's') + ' ready to upload.', false);
      else showStatus('', false);
    }

    function showStatus(text, isError) {
      status.textContent = text;
      status.hidden = !text;
      status.classList.toggle('error', !!isError);
    }

    async function uploadOne(item) {
      if (item.file.size > RESUMABLE_OVER) {
        const tus = await loadTus();
        if (tus) return uploadResumable(tus, item);
      }
      return uploadPlain(item);
    }

    function refusalOf(err) {
      const res = err && err.originalResponse;
      if (res) {
        try {
          const body = JSON.parse(res.getBody());
          if (body && body.error) return 'Refused: ' + body.error.message;
        } catch (e) { /* not JSON */ }
        return 'Refused: the server answered ' + res.getStatus();
      }
      return 'The connection failed; press Resume to carry on from the last piece received.';
    }

    // One file through tus: the same fields as metadata, the same headers, a Pause button.
    function uploadResumable(tus, item) {
      return new Promise(function (resolve) {
        const metadata = { filename: item.file.name };
        if (description && description.value.trim()) metadata.description = description.value;
        const vis = form.querySelector('input[name=visibility]:checked');
        if (vis) metadata.visibility = vis.value;
        const keep = keepFor();
        if (keep) metadata.expires_in = keep;
        const headers = {};
        if (album) {
          metadata.album = album.id;
          if (album.manage_token) headers['X-Manage-Token'] = album.manage_token;
        }
        const csrf = form.querySelector('input[name=csrf]');
        if (csrf) headers['X-CSRF-Token'] = csrf.value;
        let imageId = null;
        let deleteToken = null;
        const pause = el('button', { type: 'button', className: 'secondary small pause', text: 'Pause' });
        pause.setAttribute('aria-label', 'Pause the upload of ' + item.file.name);
        item.progress.before(pause);
        item.progress.hidden = false;
        item.state.className = 'state';
        item.state.textContent = 'Uploading in pieces…';
        function finish() {
          pause.remove();
          resolve();
        }
        const upload = new tus.Upload(item.file, {
          endpoint: '/api/v1/uploads',
          chunkSize: RESUMABLE_PIECE,
          retryDelays: [0, 1000, 3000, 5000],
          metadata: metadata,
          headers: headers,
          removeFingerprintOnSuccess: true,
          onProgress: function (sent, total) { item.progress.value = Math.round(sent / total * 100); },
          onAfterResponse: function (req, res) {
            const id = res.getHeader('Imghost-Image-Id');
            if (id) {
              imageId = id;
              deleteToken = res.getHeader('Imghost-Delete-Token');
            }
          },
          onError: function (err) {
            const res = err && err.originalResponse;
            item.state.className = 'state error';
            item.state.textContent = refusalOf(err);
            if (res) finish();
            else pause.textContent = 'Resume';  // the network: the bytes received are kept
          },
          onSuccess: async function () {
            let body = null;
            try {
              const r = await fetch(upload.url, { headers: { Accept: 'application/json', 'Tus-Resumable': '1.0.0' } });
              body = await r.json();
            } catch (e) { /* the answer is lost: the image is stored all the same */ }
            if (body && body.id === imageId) {
              if (deleteToken) {
                body.delete_token = deleteToken;
                body.delete_url = '/delete/' + body.id + '?token=' + encodeURIComponent(deleteToken);
              }
              item.progress.value = 100;
              item.result = body;
              item.state.className = 'state done';
              item.state.textContent = 'Uploaded';
              rememberUploaded(body);
            } else {
              item.state.className = 'state error';
              item.state.textContent = 'Stored, but its answer was lost: see My uploads on its page.';
            }
            finish();
          },
        });
        pause.addEventListener('click', function () {
          if (pause.textContent === 'Pause') {
            upload.abort();
            pause.textContent = 'Resume';
            pause.setAttribute('aria-label', 'Resume the upload of ' + item.file.name);
            item.state.textContent = 'Paused: the pieces received are kept.';
          } else {
            pause.textContent = 'Pause';
            pause.setAttribute('aria-label', 'Pause the upload of ' + item.file.name);
            item.state.className = 'state';
            item.state.textContent = 'Uploading in pieces…';
            upload.start();  // asks the server how far it got (HEAD), then sends the rest
          }
        });
        // A reload may have left this file half sent: carry on from there.
        upload.findPreviousUploads().then(function (previous) {
          if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
          upload.start();
        }, function () { upload.start(); });
      });
    }

    function uploadPlain(item) {
      return new Promise(function (resolve) {
        const data = new FormData();
        data.append('file', item.file, item.file.name);
        if (description && description.value.trim()) data.append('description', description.value);
        const vis = form.querySelector('input[name=visibility]:checked');
        if (vis) data.append('visibility', vis.value);
        const keep = keepFor();
        if (keep) data.append('expires_in', keep);
        if (album) {
          data.append('album', album.id);
          if (album.manage_token) data.append('manage_token', album.manage_token);
        }
        const xhr = new XMLHttpRequest();
        xhr.open('POST', form.getAttribute('action') || '/upload');
        xhr.setRequestHeader('Accept', 'application/json');
        // A logged-in browser's form carries its session's CSRF token: the cookie alone
        // is not enough for a request that changes something.
        const csrf = form.querySelector('input[name=csrf]');
        if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf.value);
        item.progress.hidden = false;
        item.state.className = 'state';
        item.state.textContent = t('Uploading…');
        xhr.upload.addEventListener('progress', function (e) {
          if (e.lengthComputable) item.progress.value = Math.round(e.loaded / e.total * 100);
        });
        xhr.addEventListener('load', function () {
          let body = null;
          try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
          if (xhr.status === 201 && body && body.id) {
            item.progress.value = 100;
            item.result = body;
            item.state.className = 'state done';
            item.state.textContent = t('Uploaded');
            rememberUploaded(body);
          } else {
            item.state.className = 'state error';
            item.state.textContent = t('Refused: {}', body && body.error ? body.error.message : t('the server answered {}', xhr.status));
          }
          resolve();
        });
        xhr.addEventListener('error', function () {
          item.state.className = 'state error';
          item.state.textContent = t('The connection failed; nothing was stored for this file.');
          resolve();
        });
        xhr.send(data);
      });
    }

    function keepFor() {
      const select = form.querySelector('select[name=expires_in]');
      return select ? select.value : '';
    }

    // One request per file cannot make the album on the server the way the form's single
    // request does: it is created first through the API, then every file goes into it.
    async function createAlbum() {
      const body = {};
      const title = form.querySelector('input[name=album_title]');
      if (title && title.value.trim()) body.title = title.value;
      const vis = form.querySelector('input[name=visibility]:checked');
      if (vis) body.visibility = vis.value;
      if (keepFor()) body.expires_in = Number(keepFor());
      const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
      const csrf = form.querySelector('input[name=csrf]');
      if (csrf) headers['X-CSRF-Token'] = csrf.value;
      try {
        const r = await fetch('/api/v1/albums', { method: 'POST', headers: headers, body: JSON.stringify(body) });
        const answer = await r.json().catch(function () { return null; });
        if (r.status === 201 && answer && answer.id) return answer;
        showStatus(t('The album could not be made: {}. Nothing was uploaded.', answer && answer.error ? answer.error.message : t('the server answered {}', r.status)), true);
      } catch (err) {
        showStatus(t('The album could not be made: {}. Nothing was uploaded.', t('the connection failed')), true);
      }
      return null;
    }

    form.addEventListener('submit', async function (e) {
      e.preventDefault();
      if (busy) return;
      const todo = items.filter(function (i) { return !i.problem && !i.result; });
      if (!todo.length) {
        showStatus(items.length ? t('None of these files can be sent.') : t('Choose, drop or paste at least one image first.'), true);
        input.focus();
        return;
      }
      if (todo.length > maxFiles) { refresh(); return; }
      busy = true;
      button.disabled = true;
      const wantAlbum = form.querySelector('input[name=new_album]');
      if (wantAlbum && wantAlbum.checked && !album) {
        showStatus(t('Making the album…'), false);
        album = await createAlbum();
        if (!album) {
          busy = false;
          button.disabled = false;
          announce(status.textContent);
          return;
        }
      }
      showStatus(t('Files being uploaded: {}…', todo.length), false);
      const waiting = todo.slice();
      async function worker() {
        while (waiting.length) await uploadOne(waiting.shift());
      }
      const workers = [];
      // An album takes its images in the order they arrive: one at a time keeps the queue's.
      const parallel = album ? 1 : PARALLEL_UPLOADS;
      for (let i = 0; i < Math.min(parallel, todo.length); i++) workers.push(worker());
      await Promise.all(workers);
      busy = false;
      button.disabled = false;
      const done = items.filter(function (i) { return i.result; });
      const failed = todo.filter(function (i) { return !i.result; });
      const resultUrl = '/uploaded/' + done.map(function (i) { return i.result.id; }).join(',');
      // The result page shows an anonymous album's manage token to the browser that made
      // it, from the cookie the server sets after a form upload without the script: the
      // same cookie, for that page alone, for an hour.
      if (album && album.manage_token && done.length) {
        document.cookie = 'imghost_album=' + album.id + '.' + album.manage_token + '; Path=' + resultUrl +
          '; Max-Age=3600; SameSite=Lax' + (location.protocol === 'https:' ? '; Secure' : '');
      }
      if (done.length && !failed.length) {
        try { sessionStorage.removeItem(DRAFT_KEY); } catch (err) { /* storage disabled */ }
        location.assign(resultUrl);
        return;
      }
      showStatus(t('Uploaded: {}, refused: {}. See each file above.', done.length, failed.length), true);
      if (done.length) {
        status.append(' ', el('a', { href: resultUrl, text: t('See the links of the uploaded ones') }), '.');
      }
      announce(status.textContent);
    });
  }

  function backLinks() {
    for (const a of document.querySelectorAll('a[data-back]')) {
      a.addEventListener('click', function (e) {
        if (history.length > 1) { e.preventDefault(); history.back(); }
      });
    }
  }

  // --- an owner's pages: several images at once, an album's order -------------------------

  // "My images": the count of selected images, their tiles marked, and no trip to the
  // server with nothing selected.
  function setUpBulk(form) {
    // The form's id attribute: form.id would name its control called "id" (the checkboxes).
    const boxes = Array.from(document.querySelectorAll('input[type=checkbox][form="' + form.getAttribute('id') + '"]'));
    const count = form.querySelector('.selected-count');
    function refresh() {
      const n = boxes.filter(function (b) { return b.checked; }).length;
      for (const b of boxes) {
        const tile = b.closest('.owner-tile');
        if (tile) tile.classList.toggle('selected', b.checked);
      }
      if (count) count.textContent = n ? count.dataset.some.replace('{}', n) : count.dataset.none;
      return n;
    }
    for (const b of boxes) b.addEventListener('change', refresh);
    // "Select all" / "Select none" for the images of this page.
    const all = el('button', { type: 'button', className: 'secondary', text: 'Select all' });
    all.addEventListener('click', function () {
      const every = boxes.every(function (b) { return b.checked; });
      for (const b of boxes) b.checked = !every;
      all.textContent = every ? 'Select all' : 'Select none';
      refresh();
      announce(count ? count.textContent : '');
    });
    const actions = form.querySelector('.bulk-actions');
    if (actions && boxes.length > 1) actions.prepend(all);
    form.addEventListener('submit', function (e) {
      if (refresh() === 0) {
        e.preventDefault();
        announce(count ? count.dataset.none : '');
      }
    });
    refresh();
  }

  // An album's manage page: drag an image to its new place; the new order is sent with
  // the page's order form (the buttons do the same one step at a time without script).
  function setUpReorder(list) {
    const form = document.getElementById(list.dataset.orderForm);
    if (!form) return;
    let dragged = null;
    for (const item of list.querySelectorAll('.manage-item')) {
      item.draggable = true;
      item.addEventListener('dragstart', function (e) {
        dragged = item;
        item.classList.add('dragging');
        e.dataTransfer.effectAllowed = 'move';
        e.dataTransfer.setData('text/plain', item.dataset.id);
      });
      item.addEventListener('dragend', function () {
        item.classList.remove('dragging');
        for (const x of list.querySelectorAll('.drop-target')) x.classList.remove('drop-target');
      });
      item.addEventListener('dragover', function (e) {
        if (!dragged || dragged === item) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
        item.classList.add('drop-target');
      });
      item.addEventListener('dragleave', function () { item.classList.remove('drop-target'); });
      item.addEventListener('drop', function (e) {
        e.preventDefault();
        item.classList.remove('drop-target');
        if (!dragged || dragged === item) return;
        const items = Array.from(list.children);
        // Dropped on a later item: after it; on an earlier one: before it.
        if (items.indexOf(dragged) < items.indexOf(item)) item.after(dragged);
        else item.before(dragged);
        dragged = null;
        form.querySelector('input[name=order]').value =
          Array.from(list.children).map(function (x) { return x.dataset.id; }).join(' ');
        announce('Saving the new order');
        form.submit();
      });
    }
  }

  // --- start ----------------------------------------------------------------------------

  function start() {
    rememberFromResultPage();
    absoluteCodes();
    copyButtons();
    showOwnerActions();
    backLinks();
    for (const form of document.querySelectorAll('form.uploader')) setUpUploader(form);
    for (const root of document.querySelectorAll('[data-mine]')) renderMine(root);
    for (const form of document.querySelectorAll('form.bulk-bar[id]')) setUpBulk(form);
    for (const list of document.querySelectorAll('.manage-list[data-order-form]')) setUpReorder(list);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
