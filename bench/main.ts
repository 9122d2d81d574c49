import { bundleFigure } from './bundle-size';
import { gridFigures } from './grid';
import { packageFigures } from './package';
import { runBenchmarks } from './run';
import { savedScaleFigures } from './saved-scale';
import { shareLinkFigures } from './share-link';

/** `npm run bench`: prints every figure and exits non-zero when a target is missed. */
const root = process.cwd();
const full = process.argv.includes('--full');
const figures = await runBenchmarks([
  shareLinkFigures,
  () => packageFigures(root, { full }),
  () => gridFigures(root),
  () => savedScaleFigures(root),
  () => bundleFigure(root),
]);
const missed = figures.filter((f) => !f.pass);
console.log(`\n${figures.length - missed.length} of ${figures.length} figures within target`);
process.exitCode = missed.length ? 1 : 0;
