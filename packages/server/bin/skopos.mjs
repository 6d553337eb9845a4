#!/usr/bin/env node
// Committed, unlike dist/: package managers link a bin at install time, before any build, and warn
// when its target does not exist yet.
import '../dist/cli.mjs';
