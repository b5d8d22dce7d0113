#!/usr/bin/env node
import '../dist/bin/src/demo.js';
