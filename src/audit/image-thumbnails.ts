import type { ImageBatches } from '../evaluate/image-batches.js';
import type { LevelReport } from '../schema/index.js';

/**
 * Replaces every exemplar's thumbnail with its original photograph, downscaled (longer side 96 pixels), whatever
 * the model's input layout or preprocessing: the reviewer sees the image as stored, not the normalised tensor.
 * @internal
 * @example
 * await attachImageThumbnails(levels, images);
 */
export async function attachImageThumbnails(levels: LevelReport[], images: ImageBatches): Promise<void> {
  const made = new Map<number, Promise<string>>();
  for (const level of levels)
    for (const e of level.exemplars) {
      if (!made.has(e.index)) made.set(e.index, images.thumbnail(e.index));
      e.thumbnail = await made.get(e.index)!;
    }
}
