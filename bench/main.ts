import { bundleFigure } from './bundle-size';
import { gridFigures } from './grid';
import { runBenchmarks } from './run';
import { savedScaleFigures } from './saved-scale';
import { shareLinkFigures } from './share-link';

/** `npm run bench`: prints every figure and exits non-zero when a target is missed. */
const root = process.cwd();
const figures = await runBenchmarks([
  shareLinkFigures,
  () => gridFigures(root),
  () => savedScaleFigures(root),
  () => bundleFigure(root),
]);
const missed = figures.filter((f) => !f.pass);
console.log(`\n${figures.length - missed.length} of ${figures.length} figures within target`);
process.exitCode = missed.length ? 1 : 0;
