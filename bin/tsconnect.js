#!/usr/bin/env node
import '../dist/bin/src/tsconnect.js';
