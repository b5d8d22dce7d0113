#!/usr/bin/env node
import '../dist/bin/src/connect-standalone.js';
