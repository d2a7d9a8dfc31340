import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { crc32c, maskedCrc32c, tfRecordFile } from '../../src/report/tensorboard/tfrecord.js';
import { writeTensorBoard } from '../../src/report/tensorboard/write-tensorboard.js';
import { encodeNpy } from '../../src/data/npy.js';
import { syntheticPopulation } from '../audit/synthetic.js';
import { runCliInProcess } from '../cli/cli-helpers.js';
import { fixtureOptionsArb, makeAuditReport } from './fixtures.js';

// An independent reader, written from the formats' specifications (TFRecord: tensorflow/core/lib/io/record_writer;
// protobuf wire format: protobuf.dev/programming-guides/encoding; Event/Summary: tensorflow/core/util/event.proto,
// tensorflow/core/framework/summary.proto), sharing no code with the writer.

/** CRC-32C computed bit by bit (no table), the definition the writer's table must agree with. */
function crc32cBitwise(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
const mask = (crc: number): number => ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) % 2 ** 32;

/** Splits a TFRecord file into records, checking both masked CRCs of each. */
function readRecords(file: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < file.length) {
    const header = file.subarray(at, at + 8);
    let length = 0;
    for (let i = 7; i >= 0; i--) length = length * 256 + header[i]!;
    const u32 = (o: number) => (file[o]! | (file[o + 1]! << 8) | (file[o + 2]! << 16) | (file[o + 3]! << 24)) >>> 0;
    expect(u32(at + 8)).toBe(mask(crc32cBitwise(header)));
    const data = file.subarray(at + 12, at + 12 + length);
    expect(data.length).toBe(length);
    expect(u32(at + 12 + length)).toBe(mask(crc32cBitwise(data)));
    out.push(data);
    at += 16 + length;
  }
  expect(at).toBe(file.length);
  return out;
}

type Field = { field: number; wire: number; varint?: bigint; fixed64?: Uint8Array; fixed32?: Uint8Array; bytes?: Uint8Array };

/** Decodes one protobuf message into its fields (wire types 0, 1, 2, 5). */
function decode(msg: Uint8Array): Field[] {
  const fields: Field[] = [];
  let at = 0;
  const varint = (): bigint => {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      const b = msg[at++]!;
      v |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if (!(b & 0x80)) return v;
    }
  };
  while (at < msg.length) {
    const key = Number(varint());
    const field = key >> 3;
    const wire = key & 7;
    if (wire === 0) fields.push({ field, wire, varint: varint() });
    else if (wire === 1) fields.push({ field, wire, fixed64: msg.subarray(at, (at += 8)) });
    else if (wire === 5) fields.push({ field, wire, fixed32: msg.subarray(at, (at += 4)) });
    else if (wire === 2) {
      const n = Number(varint());
      fields.push({ field, wire, bytes: msg.subarray(at, (at += n)) });
    } else throw new Error(`unexpected wire type ${wire}`);
  }
  expect(at).toBe(msg.length);
  return fields;
}
const one = (fs: Field[], n: number) => fs.filter((f) => f.field === n);
const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

interface DecodedEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  scalars: Map<string, number>;
  texts: Map<string, string>;
}

function decodeEvent(bytes: Uint8Array): DecodedEvent {
  const fs = decode(bytes);
  const wall = one(fs, 1)[0]!;
  expect(wall.wire).toBe(1);
  const ev: DecodedEvent = {
    wallTime: new DataView(wall.fixed64!.buffer, wall.fixed64!.byteOffset, 8).getFloat64(0, true),
    step: Number(one(fs, 2)[0]?.varint ?? 0n),
    scalars: new Map(),
    texts: new Map(),
  };
  const version = one(fs, 3)[0];
  if (version) ev.fileVersion = text(version.bytes);
  for (const summary of one(fs, 5)) {
    for (const value of one(decode(summary.bytes!), 1)) {
      const vf = decode(value.bytes!);
      const tag = text(one(vf, 1)[0]!.bytes);
      const simple = one(vf, 2)[0];
      if (simple) ev.scalars.set(tag, new DataView(simple.fixed32!.buffer, simple.fixed32!.byteOffset, 4).getFloat32(0, true));
      const tensor = one(vf, 8)[0];
      if (tensor) {
        const meta = decode(one(vf, 9)[0]!.bytes!);
        const plugin = decode(one(meta, 1)[0]!.bytes!);
        expect(text(one(plugin, 1)[0]!.bytes)).toBe('text');
        const tf = decode(tensor.bytes!);
        expect(one(tf, 1)[0]!.varint).toBe(7n); // DT_STRING
        expect(one(tf, 2)[0]!.bytes!.length).toBe(0); // scalar shape
        ev.texts.set(tag, text(one(tf, 8)[0]!.bytes));
      }
    }
  }
  return ev;
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'pie-tb-'));
  dirs.push(d);
  return d;
};

describe('writeTensorBoard', () => {
  it('CRC-32C matches the standard check value and the bitwise definition', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 37 + 11) & 0xff);
    expect(crc32c(bytes)).toBe(crc32cBitwise(bytes));
    expect(maskedCrc32c(bytes)).toBe(mask(crc32cBitwise(bytes)));
  });

  it('writes an event file whose records, CRCs and Event protos decode with an independent reader', async () => {
    const report = makeAuditReport();
    const dir = tempDir();
    const { path, stepUnit } = await writeTensorBoard(report, dir);
    expect(readdirSync(dir)).toEqual([path.slice(dir.length + 1)]);
    expect(path).toMatch(/events\.out\.tfevents\.\d+\.pie-audit$/);
    const events = readRecords(readFileSync(path)).map(decodeEvent);
    expect(events[0]!.fileVersion).toBe('brain.Event:2');
    const wall = Date.parse(report.generatedAt) / 1000;
    for (const e of events) expect(e.wallTime).toBe(wall);

    expect(stepUnit).toBe('percent sparsity');
    const scalarEvents = events.filter((e) => e.scalars.size > 0);
    expect(scalarEvents.map((e) => e.step)).toEqual(report.levels.map((l) => Math.round(l.numericLevel! * 100)));
    report.levels.forEach((level, i) => {
      const s = scalarEvents[i]!.scalars;
      if (level.accuracy.status === 'ok') expect(s.get('top1/mean')).toBeCloseTo(level.accuracy.mean, 6);
      if (level.accuracy.status === 'ok' && level.accuracy.top1Drop !== null)
        expect(s.get('top1/drop')).toBeCloseTo(level.accuracy.top1Drop, 6);
      if (level.pies.status === 'ok') {
        expect(s.get('pies/rate')).toBeCloseTo(level.pies.rate, 6);
        expect(s.get('pies/count')).toBe(level.pies.count);
        expect(s.get('pies/excess_over_noise_floor')).toBe(level.pies.permutation.excess);
      } else expect(s.has('pies/rate')).toBe(false);
      if (level.classImpact.status === 'ok') expect(s.get('classes/hurt')).toBe(level.classImpact.hurtClasses.length);
      if (level.meanSparsity !== null) expect(s.get('sparsity/mean')).toBeCloseTo(level.meanSparsity, 6);
      else expect(s.has('sparsity/mean')).toBe(false);
    });
    const findings = events.find((e) => e.texts.has('findings'))!.texts.get('findings')!;
    expect(findings).toContain('## What compression cost');
    expect(findings).toContain('sparsity in percent');
  });

  it('writes a file the independent reader decodes, with finite scalars only, for any generated report', async () => {
    await fc.assert(
      fc.asyncProperty(fixtureOptionsArb(), async (options) => {
        const report = makeAuditReport(options);
        const { path } = await writeTensorBoard(report, tempDir());
        const events = readRecords(readFileSync(path)).map(decodeEvent);
        expect(events[0]!.fileVersion).toBe('brain.Event:2');
        for (const e of events) for (const v of e.scalars.values()) expect(Number.isFinite(v)).toBe(true);
        expect(events.filter((e) => e.texts.has('findings'))).toHaveLength(1);
      }),
      { seed: 19, numRuns: 25 },
    );
  });

  it('uses level positions as steps when a level is not numeric, and writes the same bytes twice', async () => {
    const report = makeAuditReport();
    const levels = report.levels.map((l, i) => (i === 2 ? { ...l, key: 'int8', numericLevel: null } : l));
    const a = await writeTensorBoard({ ...report, levels }, tempDir());
    const b = await writeTensorBoard({ ...report, levels }, tempDir());
    expect(a.stepUnit).toBe('level index');
    const bytes = readFileSync(a.path);
    expect(bytes.equals(readFileSync(b.path))).toBe(true);
    const events = readRecords(bytes).map(decodeEvent);
    expect(events.filter((e) => e.scalars.size).map((e) => e.step)).toEqual(levels.map((_, i) => i));
    expect(events.at(-1)!.texts.get('findings')).toContain('2 = int8');
  });

  it("agrees with a Python implementation of TFRecord's masked CRC-32C", () => {
    const python = '/usr/bin/python3';
    if (!existsSync(python)) return;
    const records = [new TextEncoder().encode('brain.Event:2'), Uint8Array.from({ length: 200 }, (_, i) => (i * 13) & 0xff)];
    const file = tfRecordFile(records);
    const script = [
      'import sys, struct',
      'T = []',
      'for i in range(256):',
      '    c = i',
      '    for _ in range(8): c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1',
      '    T.append(c)',
      'def crc(b):',
      '    c = 0xFFFFFFFF',
      '    for x in b: c = T[(c ^ x) & 0xFF] ^ (c >> 8)',
      '    return c ^ 0xFFFFFFFF',
      'def masked(b):',
      '    c = crc(b)',
      '    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF',
      'data = sys.stdin.buffer.read(); at = 0; ok = 0',
      'while at < len(data):',
      '    (n,) = struct.unpack("<Q", data[at:at+8])',
      '    assert struct.unpack("<I", data[at+8:at+12])[0] == masked(data[at:at+8])',
      '    assert struct.unpack("<I", data[at+12+n:at+16+n])[0] == masked(data[at+12:at+12+n])',
      '    at += 16 + n; ok += 1',
      'print(ok)',
    ].join('\n');
    const out = execFileSync(python, ['-c', script], { input: file }).toString().trim();
    expect(out).toBe(String(records.length));
  });
});

describe('pie-audit audit/report --tensorboard', () => {
  it('writes an event file beside the reports whose scalars match report.json, and report --tensorboard rewrites it', async () => {
    const dir = tempDir();
    const s = syntheticPopulation({ seed: 21 });
    const population: Record<string, string[]> = {};
    for (const [level, members] of Object.entries(s.population)) {
      mkdirSync(join(dir, 'preds', level), { recursive: true });
      population[level] = members.map((m, i) => {
        const file = join('preds', level, `model-${i}.npy`);
        writeFileSync(join(dir, file), encodeNpy(Int32Array.from(m.predictions), [s.n]));
        return file;
      });
    }
    writeFileSync(join(dir, 'labels.npy'), encodeNpy(Int32Array.from(s.labels), [s.n]));
    writeFileSync(join(dir, 'audit.json'), JSON.stringify({ population, testSet: { labels: 'labels.npy' }, bootstrap: { resamples: 0 } }));
    const tb = join(dir, 'tb');
    const r = await runCliInProcess([
      'audit',
      join(dir, 'audit.json'),
      '--out',
      join(dir, 'out'),
      '--format',
      'json',
      '--tensorboard',
      tb,
      '--quiet',
    ]);
    expect(r.stderr).toBe('');
    const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8'));
    const [name] = readdirSync(tb);
    const events = readRecords(readFileSync(join(tb, name!))).map(decodeEvent);
    const byStep = new Map(events.filter((e) => e.scalars.size).map((e) => [e.step, e.scalars]));
    for (const level of report.levels) {
      const scalars = byStep.get(Math.round(level.numericLevel * 100))!;
      expect(scalars.get('top1/mean')).toBeCloseTo(level.accuracy.mean, 6);
      if (!level.isBaseline) expect(scalars.get('pies/rate')).toBeCloseTo(level.pies.rate, 6);
    }
    const tb2 = join(dir, 'tb2');
    const again = await runCliInProcess(['report', join(dir, 'out', 'report.json'), '--tensorboard', tb2]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('events.out.tfevents.');
    expect(readFileSync(join(tb2, name!)).equals(readFileSync(join(tb, name!)))).toBe(true);
    expect((await runCliInProcess(['report', join(dir, 'out', 'report.json'), '--tensorboard', ''])).code).toBe(2);
  });
});
