#!/bin/sh
# Rebuild conformance/runtime/node_bridge/vendor/interceptors.cjs (and its LICENSE) from the
# npm registry, with the exact versions pinned in package.json and package-lock.json.
# To upgrade: change the pinned version in package.json, `npm install`, run this, run the tests.
# @mswjs/interceptors 0.42 and later need NodeJS 22; the harness supports NodeJS 18 and newer.
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
node build.js
