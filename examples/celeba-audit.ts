/**
 * Audits a population of CelebA classifiers on CelebA's test split, read from the folder a user downloaded
 * (`img_align_celeba/`, `list_attr_celeba.txt`, `list_eval_partition.txt`): Blond_Hair is the label, Male and
 * Young are the groups whose PIE over-indexing and false positive / false negative rates the report shows.
 * The images are decoded and preprocessed batch by batch (never the whole split in memory), each once per audit.
 *
 * The models are a population folder: `<models>/<level>/<member>/model.json` (tfjs) or `<models>/<level>/<member>.onnx`,
 * e.g. `celeba-models/0/seed-1.onnx`, `celeba-models/0.9/seed-1.onnx`. `preprocess` is the preprocessing the models
 * were trained with, as JSON: a preset ('torchvision', 'keras-inception', 'keras-mobilenet') or the explicit form;
 * the default resizes each 178x218 face to 64x64, scales to [0, 1] and keeps NHWC.
 *
 * Run: npx tsx examples/celeba-audit.ts <celebaRoot> <modelsDir> [outDir] [preprocess JSON]
 */
import { auditCompression, scanPopulationFolder, writeReports, type Preprocess } from 'pie-audit';

const [root = 'celeba', models = 'celeba-models', out = 'pie-audit-celeba', preprocessJson] = process.argv.slice(2);
const preprocess: Preprocess = preprocessJson
  ? (JSON.parse(preprocessJson) as Preprocess)
  : { size: [64, 64], resize: 'exact', scale: 1 / 255, layout: 'nhwc' };

const { levels } = scanPopulationFolder(models);
const population = new Map(levels.map((l) => [l.dirName, l.members.map((m) => m.path)]));

const report = await auditCompression({
  population,
  testSet: {
    images: { celeba: root, split: 'test', labelsFromAttribute: 'Blond_Hair', attributeNames: ['Male', 'Young'] },
    preprocess,
  },
  positiveClass: 1,
  batchSize: 256,
  gates: { attributes: { Male: { maxOverIndex: 1.5, maxFnrIncrease: 0.05 } } },
});
await writeReports(report, out);

console.log(`CelebA test split: ${report.testSet.n} images, ${report.testSet.labelCounts?.[1]} blond`);
for (const level of report.levels) {
  const top1 = level.accuracy.status === 'ok' ? level.accuracy.mean.toFixed(4) : 'n/a';
  const pies = level.pies.status === 'ok' ? level.pies.count : 'n/a';
  console.log(`level ${level.key}: top-1 ${top1}, PIEs ${pies}`);
}
console.log(`verdict: ${report.verdict}; reports in ${out}/`);
process.exitCode = report.exitCode;
