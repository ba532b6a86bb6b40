#!/usr/bin/env node
// The command is built into dist/; this file exists before the build, so installs can link the bin.
import '../dist/journal-bin.js';
