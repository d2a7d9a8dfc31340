import { describe, expect, it } from 'vitest';
import { reportedPath } from '../../src/audit/reported-path.js';

describe('model paths as report.json stores them', () => {
  it('keep relative paths, make absolute ones relative to the working folder, and keep only the last three segments of one outside it', () => {
    expect(reportedPath('preds/0.9/seed-3.npy', '/home/ana/audit')).toBe('preds/0.9/seed-3.npy');
    expect(reportedPath('/home/ana/audit/preds/0.9/seed-3.npy', '/home/ana/audit')).toBe('preds/0.9/seed-3.npy');
    expect(reportedPath('/data/run-7/models/0.9/seed-3/model.json', '/home/ana/audit')).toBe('0.9/seed-3/model.json');
    // A sibling folder whose name starts like the working folder's is outside it.
    expect(reportedPath('/home/ana/audit-old/preds/0/a.npy', '/home/ana/audit')).toBe('preds/0/a.npy');
  });
});
