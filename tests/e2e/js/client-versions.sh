# shellcheck shell=bash
# client-versions.sh: the one place that pins the JavaScript clients the end-to-end tests run
# (tests/e2e/js). install-clients.sh installs exactly these from the npm registry; change a
# version here and the next set-up installs it next to the old one.
PNPM_VERSION=12.26.0
YARN1_VERSION=1.22.22
BUN_VERSION=1.4.5
# yarn berry (@yarnpkg/cli-dist), which reads .yarnrc.yml instead of .npmrc.
YARN_BERRY_VERSION=4.18.1
