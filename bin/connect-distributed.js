#!/usr/bin/env node
import '../dist/bin/src/connect-distributed.js';
