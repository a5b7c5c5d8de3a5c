# imghost — build, run and test.  `make help` lists the targets.
#
# Objects go to build/ with -MMD -MP dependency files, so a header change rebuilds
# exactly what includes it.  Warnings are errors.  V=1 shows full compile lines.

CXX      ?= g++
CXXSTD   := -std=c++20
WARN     := -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Werror
OPT      ?= -O2 -g
PKGS     := Magick++ fcgi fmt libpq libcrypto libcurl libsodium nlohmann_json zlib libpng
# Magick++'s pkg-config adds -fopenmp; we keep it (ImageMagick is built with OpenMP)
# but cap its threads at run time, see fcgi/image/magick_setup.cpp.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# giflib ships no pkg-config file.
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lgif -lboost_locale
CPPFLAGS += -Ifcgi
CXXFLAGS += $(CXXSTD) $(OPT) $(WARN) -MMD -MP
BUILD    ?= build

ifeq ($(V),1)
Q :=
else
Q := @
endif

# Everything under fcgi/ except the two programs' mains is the library both link.
MAINS    := fcgi/server/main.cpp fcgi/admin/main.cpp
LIB_SRC  := $(filter-out $(MAINS),$(shell find fcgi -name '*.cpp' | sort))
LIB_OBJ  := $(LIB_SRC:%.cpp=$(BUILD)/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/*.cpp))
UNIT_OBJ := $(UNIT_SRC:%.cpp=$(BUILD)/%.o)
INTEG_SRC := $(sort $(wildcard tests/integration/*.cpp))
INTEG_OBJ := $(INTEG_SRC:%.cpp=$(BUILD)/%.o)
DEP      := $(LIB_OBJ:.o=.d) $(UNIT_OBJ:.o=.d) $(INTEG_OBJ:.o=.d) $(MAINS:%.cpp=$(BUILD)/%.d)

.PHONY: all run test check unit integration format format-check deps bench fuzz clean help install

# The translations: po/<language>.po compiled into the catalogs the programs read
# (locale_dir, domain/translate.hpp).  English is the sources' language: no catalog.
PO_FILES := $(sort $(wildcard po/*.po))
MO_FILES := $(PO_FILES:po/%.po=$(BUILD)/locale/%/LC_MESSAGES/imghost.mo)

all: $(BUILD)/imghost-fcgi $(BUILD)/imghost-admin $(MO_FILES)

$(BUILD)/locale/%/LC_MESSAGES/imghost.mo: po/%.po
	@mkdir -p $(@D)
	@$(if $(Q),echo "  MSGFMT $<")
	$(Q)msgfmt --check -o $@ $<

help:
	@echo "make run     install what is missing, build, start the stack on http://127.0.0.1:$${IMGHOST_PORT:-8080}"
	@echo "             (IMGHOST_STORE=s3 make run: the images in a bucket of a local S3 server)"
	@echo "make test    install what is missing, build (warnings are errors), run every test"
	@echo "make check   build, the layer check (scripts/check-layers), the translations check (scripts/i18n),"
	@echo "             the unit and integration tests (under a minute)"
	@echo "make format  clang-format every C++ file (format-check: fail if one differs)"
	@echo "make bench   benchmark against the peer (writes bench/results/)"
	@echo "make fuzz    run the libFuzzer targets for a bounded time"
	@echo "make install PREFIX=/usr/local DESTDIR=   install binaries, units, configs"

# IMGHOST_STORE=s3 (make run with a local S3 server): its Node.js and npm packages too.
deps:
	$(Q)scripts/deps $(if $(filter s3,$(IMGHOST_STORE)),s3)

$(BUILD)/%.o: %.cpp
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CXX   $<")
	$(Q)$(CXX) $(CPPFLAGS) $(CXXFLAGS) $(PKG_CFLAGS) -c $< -o $@

$(BUILD)/libimghost.a: $(LIB_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/imghost-fcgi: $(BUILD)/fcgi/server/main.o $(BUILD)/libimghost.a
	@$(if $(Q),echo "  LINK  $@")
	$(Q)$(CXX) $(CXXFLAGS) $^ $(PKG_LIBS) -o $@

$(BUILD)/imghost-admin: $(BUILD)/fcgi/admin/main.o $(BUILD)/libimghost.a
	@$(if $(Q),echo "  LINK  $@")
	$(Q)$(CXX) $(CXXFLAGS) $^ $(PKG_LIBS) -o $@

$(BUILD)/unit-tests: $(UNIT_OBJ) $(BUILD)/libimghost.a
	@$(if $(Q),echo "  LINK  $@")
	$(Q)$(CXX) $(CXXFLAGS) $^ $(PKG_LIBS) -lboost_unit_test_framework -o $@

$(BUILD)/integration-tests: $(INTEG_OBJ) $(BUILD)/libimghost.a
	@$(if $(Q),echo "  LINK  $@")
	$(Q)$(CXX) $(CXXFLAGS) $^ $(PKG_LIBS) -lboost_unit_test_framework -o $@

run: deps all
	$(Q)scripts/stack run

# The unit tests run twice: as built, and under AddressSanitizer + UBSan.  GCC's
# -Wmaybe-uninitialized gives false positives on instrumented code (inside libstdc++'s
# std::regex here); the plain build keeps that warning as an error.
SANITIZE := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer \
            -Wno-maybe-uninitialized

test:
	$(Q)scripts/deps test
	$(Q)$(MAKE) --no-print-directory all $(BUILD)/unit-tests $(BUILD)/integration-tests
	$(Q)$(MAKE) --no-print-directory BUILD=$(BUILD)/sanitize OPT="$(SANITIZE)" \
	  $(BUILD)/sanitize/unit-tests $(BUILD)/sanitize/integration-tests
	$(Q)IMGHOST_BUILD=$(abspath $(BUILD)) tests/run-all

check: all $(BUILD)/unit-tests $(BUILD)/integration-tests
	$(Q)scripts/check-layers
	$(Q)scripts/i18n check
	$(Q)$(BUILD)/unit-tests
	$(Q)$(BUILD)/integration-tests

unit: $(BUILD)/unit-tests
	$(Q)$(BUILD)/unit-tests

integration: $(BUILD)/integration-tests
	$(Q)$(BUILD)/integration-tests

bench: deps all
	$(Q)bench/run

fuzz:
	$(Q)scripts/deps fuzz
	$(Q)tests/fuzz/run

# Every C++ source and header of the project, in the style of .clang-format.
FORMAT_SRC = $(shell git ls-files '*.cpp' '*.hpp' 2>/dev/null)

format:
	$(Q)clang-format -i $(FORMAT_SRC)

format-check:
	$(Q)clang-format --dry-run --Werror $(FORMAT_SRC) && echo "format-check: $(words $(FORMAT_SRC)) files in the style of .clang-format"

clean:
	rm -rf $(BUILD)

-include mk/*.mk
-include $(DEP)
