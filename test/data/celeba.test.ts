import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { readCelebaAttributes, readCelebaPartition, selectCelebaSplit } from '../../src/data/celeba.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/celeba/${name}`, import.meta.url));

describe('CelebA annotation files', () => {
  it('reads list_attr_celeba.txt: count line, names line, -1/1 rows with padded spacing', () => {
    const attrs = readCelebaAttributes(fixture('list_attr_celeba.txt'));
    expect(attrs.attributeNames).toEqual(['5_o_Clock_Shadow', 'Arched_Eyebrows', 'Blond_Hair', 'Male', 'Young']);
    expect(attrs.imageIds).toEqual(['000001.jpg', '000002.jpg', '000003.jpg', '000004.jpg', '000005.jpg', '000006.jpg']);
    expect(Array.from(attrs.values.Blond_Hair)).toEqual([-1, -1, 1, -1, 1, -1]);
    expect(Array.from(attrs.values.Male)).toEqual([-1, -1, 1, -1, -1, 1]);
  });

  it('reads list_eval_partition.txt and selects the test split in file order', () => {
    const attrs = readCelebaAttributes(fixture('list_attr_celeba.txt'));
    const partition = readCelebaPartition(fixture('list_eval_partition.txt'));
    expect(Array.from(partition.partition)).toEqual([0, 0, 1, 2, 2, 2]);
    const test = selectCelebaSplit(attrs, partition, 'test');
    expect(test.rows).toEqual([3, 4, 5]);
    expect(test.imageIds).toEqual(['000004.jpg', '000005.jpg', '000006.jpg']);
    expect(Array.from(test.values.Blond_Hair)).toEqual([-1, 1, -1]);
  });

  it('rejects a count that disagrees with the rows and values other than 1/-1', () => {
    expect(() => readCelebaAttributes(new TextEncoder().encode('3\nA B\nx.jpg 1 -1\n'))).toThrowError(/declares 3 images but lists 1/);
    expect(() => readCelebaAttributes(new TextEncoder().encode('1\nA B\nx.jpg 1 0\n'))).toThrowError(/must be 1 or -1/);
    expect(() => readCelebaPartition(new TextEncoder().encode('x.jpg 5\n'))).toThrowError(/line 1/);
  });
});
