#!/usr/bin/env node
import { PIE_AUDIT_VERSION } from '../version.js';

process.stdout.write(`pie-audit ${PIE_AUDIT_VERSION}\n`);
