# shellcheck shell=bash
# client-versions.sh: the one place that pins the JavaScript clients the end-to-end tests run
# (tests/e2e/js). install-clients.sh installs exactly these from the npm registry; change a
# version here and the next set-up installs it next to the old one.
PNPM_VERSION=12.26.0
YARN1_VERSION=1.22.22
BUN_VERSION=1.4.5
# yarn berry (@yarnpkg/cli-dist) is not supported yet (it ignores .npmrc); the set-up fetches it
# only when asked (install-clients.sh --berry), for the tests that will come with that support.
YARN_BERRY_VERSION=4.18.1
