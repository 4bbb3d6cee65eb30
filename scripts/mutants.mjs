/**
 * The deliberate bugs of the mutation check (scripts/mutation-check.mjs). Each: where (`file`, an exact `find`
 * that occurs once), the bug (`replace`), why it matters (`why`), and the unit tests that must catch it (`tests`,
 * kept to fast files: the check runs in CI). When a module's code changes so that a `find` no longer matches,
 * the check reports the mutant STALE and fails: update the mutant to the new code, do not drop it.
 */
export const TARGET_KILL_RATE = 0.8;

const CSV = ['src/shared/csv.test.ts', 'src/features/see/page/regionCsv.test.ts'];
const BOUNDS = ['src/features/fool/shared/bounds.test.ts', 'src/features/fool/worker/outcome.test.ts'];
const ATTACK = ['src/features/fool/worker/attacks.test.ts'];
const DEDUPE = ['src/features/data/shared/dedupe.test.ts', 'src/features/data/shared/nearCopies.test.ts'];
const CLASS_WEIGHTS = ['src/features/train/shared/classWeights.test.ts', 'src/ml/weightedLoss.test.ts'];
const NEAR = ['src/features/data/shared/nearCopies.test.ts', 'src/features/data/worker/ingest/groupSplit.test.ts'];
const GROUP_SPLIT = ['src/features/data/worker/ingest/groupSplit.test.ts'];
const SPLITS = ['src/ml/data/splits.test.ts', 'src/features/data/worker/ingest/groupSplit.test.ts'];
const ROBUSTNESS = ['src/features/fool/worker/robustness.test.ts'];
const ACTIVATION_MAX = ['src/features/see/worker/activationMax.test.ts'];
const EVALUATE = ['src/features/train/worker/evaluate.test.ts'];
const MEMBERS = ['src/ml/data/dataset.test.ts', 'src/db/review.test.ts'];
const KERAS = ['src/ml/keras/kerasFiles.test.ts'];
const SWEEP = ['src/features/train/shared/sweep.test.ts'];
const WASM_LAYOUT = ['src/ml/wasmLayout.test.ts'];
const WASM_POOL = ['src/ml/wasmMaxPoolGrad.test.ts'];
const WASM_REDUCE = ['src/ml/wasmReductions.test.ts'];

export const MUTANTS = [
  // CSV writer (src/shared/csv.ts): what a user downloads must not split rows or start formulas.
  {
    id: 'csv-formula-eq',
    file: 'src/shared/csv.ts',
    find: '/^[=+\\-@\\t\\r]/',
    replace: '/^[+\\-@\\t\\r]/',
    why: 'a cell starting with = is not neutralised',
    tests: CSV,
  },
  {
    id: 'csv-quote-cr',
    file: 'src/shared/csv.ts',
    find: '/[",\\r\\n]/.test(s)',
    replace: '/[",\\n]/.test(s)',
    why: 'a carriage return is not quoted',
    tests: CSV,
  },
  {
    id: 'csv-double-quotes',
    file: 'src/shared/csv.ts',
    find: `s.replace(/"/g, '""')`,
    replace: 's',
    why: 'quotes inside a quoted field are not doubled',
    tests: CSV,
  },
  {
    id: 'csv-numbers-quoted',
    file: 'src/shared/csv.ts',
    find: ' && !PLAIN_NUMBER.test(s)',
    replace: '',
    why: 'a negative number written as text gets an apostrophe',
    tests: CSV,
  },
  {
    id: 'csv-nonfinite',
    file: 'src/shared/csv.ts',
    find: "if (!Number.isFinite(value)) return '';",
    replace: 'if (!Number.isFinite(value)) return String(value);',
    why: 'NaN and Infinity written as text',
    tests: CSV,
  },
  {
    id: 'csv-precision',
    file: 'src/shared/csv.ts',
    find: 'String(Number(value.toPrecision(6)))',
    replace: 'String(value)',
    why: 'floats written with 17 digits',
    tests: CSV,
  },

  // The paper's bound and the L∞ ball (src/features/fool/shared/bounds.ts): an attack must never exceed them.
  {
    id: 'bounds-relative-as-range',
    file: 'src/features/fool/shared/bounds.ts',
    find: "rule === 'relative' ? fraction * x : fraction * 255",
    replace: "rule === 'relative' ? fraction * 255 : fraction * 255",
    why: 'the literal rule read as a fraction of the range',
    tests: BOUNDS,
  },
  {
    id: 'bounds-round-outwards',
    file: 'src/features/fool/shared/bounds.ts',
    find: 'Math.ceil(x - d - 1e-9)',
    replace: 'Math.floor(x - d - 1e-9)',
    why: 'quantised lower bound rounded outwards (half a level too far)',
    tests: BOUNDS,
  },
  {
    id: 'bounds-no-255-cap',
    file: 'src/features/fool/shared/bounds.ts',
    find: 'hi[i] = Math.min(255, h);',
    replace: 'hi[i] = h;',
    why: 'the upper bound may pass 255',
    tests: BOUNDS,
  },
  {
    id: 'bounds-linf-no-0-floor',
    file: 'src/features/fool/shared/bounds.ts',
    find: 'lo[i] = Math.max(0, pixels[i] - e);',
    replace: 'lo[i] = pixels[i] - e;',
    why: 'the ε ball may go below 0',
    tests: BOUNDS,
  },
  {
    id: 'bounds-linf-eps-up',
    file: 'src/features/fool/shared/bounds.ts',
    find: 'Math.floor(epsilon + 1e-9)',
    replace: 'Math.ceil(epsilon)',
    why: 'a fractional ε rounded up when quantised',
    tests: BOUNDS,
  },
  {
    id: 'bounds-check-slack',
    file: 'src/features/fool/shared/bounds.ts',
    find: 'modified[i] > bounds.hi[i] + slack',
    replace: 'modified[i] > bounds.hi[i] + slack + 1',
    why: 'the bound check lets a pixel one level over pass',
    tests: BOUNDS,
  },

  // The attack loop (src/features/fool/worker/iterativeAttack.ts).
  {
    id: 'attack-no-step',
    file: 'src/features/fool/worker/iterativeAttack.ts',
    find: 'x.add(dir.mul(mask).mul(alpha))',
    replace: 'x.add(dir.mul(mask).mul(0))',
    why: 'an attack that does nothing',
    tests: ATTACK,
  },
  {
    id: 'attack-no-upper-clip',
    file: 'src/features/fool/worker/iterativeAttack.ts',
    find: 'tf.minimum(tf.maximum(x.add(dir.mul(mask).mul(alpha)), lo), hi)',
    replace: 'tf.maximum(x.add(dir.mul(mask).mul(alpha)), lo)',
    why: 'the projection forgets the upper bound',
    tests: ATTACK,
  },
  {
    id: 'attack-steps-not-recorded',
    file: 'src/features/fool/worker/iterativeAttack.ts',
    find: 'steps[i] = step;',
    replace: '',
    why: 'an early-stopped image reports the step limit as its steps',
    tests: ATTACK,
  },
  {
    id: 'attack-wrong-direction',
    file: 'src/features/fool/worker/iterativeAttack.ts',
    find: 'const sign = spec.targeted ? 1 : -1;',
    replace: 'const sign = spec.targeted ? -1 : 1;',
    why: 'gradient descent instead of ascent on the target',
    tests: ATTACK,
  },
  {
    id: 'attack-success-too-early',
    file: 'src/features/fool/worker/iterativeAttack.ts',
    find: 'top === cls && probs[cls] >= stopConfidence',
    replace: 'top === cls',
    why: 'success declared below the 90 % confidence',
    tests: ATTACK,
  },

  // Duplicates (src/features/data/shared/dedupe.ts).
  {
    id: 'dedupe-strict-threshold',
    file: 'src/features/data/shared/dedupe.ts',
    find: 'if (d <= maxDistance) {',
    replace: 'if (d < maxDistance) {',
    why: 'copies at exactly the threshold are missed',
    tests: DEDUPE,
  },
  {
    id: 'dedupe-median',
    file: 'src/features/data/shared/dedupe.ts',
    find: 'const median = ac[(ac.length - 1) / 2];',
    replace: 'const median = ac[0];',
    why: 'pHash thresholds at the minimum, not the median',
    tests: DEDUPE,
  },
  {
    id: 'dedupe-no-shift',
    file: 'src/features/data/shared/dedupe.ts',
    find: 'for (let dx = -1; dx <= 1; dx++) {',
    replace: 'for (let dx = 0; dx <= 0; dx++) {',
    why: 'the pixel check no longer forgives a 1-px horizontal shift',
    tests: DEDUPE,
  },
  {
    id: 'dedupe-exact-skips-bytes',
    file: 'src/features/data/shared/dedupe.ts',
    find: 'for (let i = 0; i < PIXELS_PER_IMAGE; i += 4) {',
    replace: 'for (let i = 0; i < PIXELS_PER_IMAGE; i += 8) {',
    why: 'the exact key ignores half the bytes',
    tests: DEDUPE,
  },

  // Near copies across the split (src/features/data/shared/nearCopies.ts).
  {
    id: 'near-one-mirror',
    file: 'src/features/data/shared/nearCopies.ts',
    find: 'Math.min(straight, jMirrored, iMirrored)',
    replace: 'Math.min(straight, jMirrored)',
    why: 'the mirror-aware distance is asymmetric again',
    tests: NEAR,
  },
  {
    id: 'near-no-source-union',
    file: 'src/features/data/shared/nearCopies.ts',
    find: 'else union(first, i);',
    replace: 'else void first;',
    why: 'crops of one photo may straddle train and test',
    tests: NEAR,
  },
  {
    id: 'near-strict-threshold',
    file: 'src/features/data/shared/nearCopies.ts',
    find: 'distanceAt(w, i, j) <= maxDistance',
    replace: 'distanceAt(w, i, j) < maxDistance',
    why: 'copies at exactly the threshold are split apart',
    tests: NEAR,
  },
  {
    id: 'near-leak-strict',
    file: 'src/features/data/shared/nearCopies.ts',
    find: 'if (best <= maxDistance) {',
    replace: 'if (best < maxDistance) {',
    why: 'the leak check misses copies at the threshold',
    tests: NEAR,
  },
  {
    id: 'near-members-ignore-excluded',
    file: 'src/features/data/shared/nearCopies.ts',
    find: '(excluded?.[i] ? null : ',
    replace: '(false ? null : ',
    why: 'rejected crops counted in the leak check',
    tests: NEAR,
  },
  {
    id: 'near-no-mirror',
    file: 'src/features/data/shared/nearCopies.ts',
    find: 'const to = (y * IMAGE_SIDE + IMAGE_SIDE - 1 - x) * 3;',
    replace: 'const to = (y * IMAGE_SIDE + x) * 3;',
    why: 'mirrorCrop copies instead of mirroring',
    tests: NEAR,
  },
  {
    id: 'near-validation-leaks-as-test',
    file: 'src/features/data/shared/nearCopies.ts',
    find: "if (split === 'test') testLeaks++;",
    replace: 'testLeaks++;',
    why: 'validation leaks counted as test leaks',
    tests: NEAR,
  },

  // The group-aware split (src/features/data/worker/ingest/groupSplit.ts) and the stratified split (src/ml/data/splits.ts).
  {
    id: 'group-no-follow',
    file: 'src/features/data/worker/ingest/groupSplit.ts',
    find: 'else if (joined !== undefined) codes[i] = joined;',
    replace: 'else if (false) codes[i] = joined;',
    why: 'a resumed ingest splits a group already split',
    tests: GROUP_SPLIT,
  },
  {
    id: 'group-rejected-connect',
    file: 'src/features/data/worker/ingest/groupSplit.ts',
    find: 'nearCopyGroups(facts.hashes, facts.sources, rejected)',
    replace: 'nearCopyGroups(facts.hashes, facts.sources)',
    why: 'rejected crops still join groups',
    tests: GROUP_SPLIT,
  },
  {
    id: 'group-validation-leads',
    file: 'src/features/data/worker/ingest/groupSplit.ts',
    find: 'codes[i] !== SPLIT_CODES.validation && !codeOfGroup.has(group[i])',
    replace: '!codeOfGroup.has(group[i])',
    why: "a validation crop decides its group's side on resume",
    tests: GROUP_SPLIT,
  },
  {
    id: 'layout-split-dropped',
    file: 'src/features/data/worker/ingest/groupSplit.ts',
    find: "const keepTrainTest = splits.includes('test');",
    replace: 'const keepTrainTest = false;',
    why: "a Keras layout's train/ and test/ folders are re-split by the app",
    tests: GROUP_SPLIT,
  },
  {
    id: 'splits-no-test-group',
    file: 'src/ml/data/splits.ts',
    find: 'if (classGroups.length >= 2) nTrain = Math.min(nTrain, classGroups.length - 1);',
    replace: '',
    why: 'a small class may get no test face',
    tests: SPLITS,
  },
  {
    id: 'splits-validation-moved',
    file: 'src/ml/data/splits.ts',
    find: 'if (isValidation(i)) {',
    replace: 'if (false) {',
    why: 'validation/ photos are split into train/test',
    tests: SPLITS,
  },
  {
    id: 'splits-no-shuffle',
    file: 'src/ml/data/splits.ts',
    find: 'shuffleInPlace(classGroups, rng);',
    replace: '',
    why: 'the split ignores its seed (first photos always train)',
    tests: SPLITS,
  },
  {
    id: 'splits-group-straddles',
    file: 'src/ml/data/splits.ts',
    find: 'codes[i] = k < nTrain ? SPLIT_CODES.train : SPLIT_CODES.test;',
    replace: 'codes[i] = (k + i) % 5 < 4 ? SPLIT_CODES.train : SPLIT_CODES.test;',
    why: 'members of one group land on both sides',
    tests: SPLITS,
  },

  // Robustness curves (the attack table's budget and stopping rule, src/features/fool/shared/attackKinds.ts, used by
  // src/features/fool/worker/foolService.ts) and activation maximisation's regularisers (src/features/see/worker/activationMax.ts).
  {
    id: 'curve-budget-ignored',
    file: 'src/features/fool/shared/attackKinds.ts',
    find: 'with: (s, value) => ({ ...s, epsilon: value }),',
    replace: 'with: (s) => ({ ...s }),',
    why: 'the budget curve runs every point at the default ε',
    tests: ROBUSTNESS,
  },
  {
    id: 'curve-untargeted-as-any-change',
    file: 'src/features/fool/shared/attackKinds.ts',
    find: 'if (!kind.targeted(s)) return top !== label;',
    replace: 'if (!kind.targeted(s)) return true;',
    why: 'every attacked image counted as fooled',
    tests: ROBUSTNESS,
  },
  {
    id: 'actmax-no-l2',
    file: 'src/features/see/worker/activationMax.ts',
    find: 'tf.mul(o.l2, tf.sum',
    replace: 'tf.mul(0, tf.sum',
    why: 'the L2 decay does nothing',
    tests: ACTIVATION_MAX,
  },
  {
    id: 'actmax-no-tv',
    file: 'src/features/see/worker/activationMax.ts',
    find: 'tf.mul(o.tv, totalVariation',
    replace: 'tf.mul(0, totalVariation',
    why: 'total variation does nothing',
    tests: ACTIVATION_MAX,
  },
  {
    id: 'actmax-no-blur',
    file: 'src/features/see/worker/activationMax.ts',
    find: 'updated = gaussianBlur(updated, o.blurSigma)',
    replace: 'updated = updated',
    why: 'the periodic blur does nothing',
    tests: ACTIVATION_MAX,
  },

  // Evaluation (src/features/train/worker/evaluate.ts): the confusion matrix and the misclassified faces shown.
  {
    id: 'evaluate-confusion-transposed',
    file: 'src/features/train/worker/evaluate.ts',
    find: 'confusion[label][best]++;',
    replace: 'confusion[best][label]++;',
    why: 'rows and columns of the confusion matrix swapped',
    tests: EVALUATE,
  },
  {
    id: 'evaluate-lists-right-ones',
    file: 'src/features/train/worker/evaluate.ts',
    find: 'if (best !== label)\n        wrong.push(',
    replace: 'if (best === label)\n        wrong.push(',
    why: 'the list shows correctly classified faces',
    tests: EVALUATE,
  },
  {
    id: 'evaluate-least-confident-first',
    file: 'src/features/train/worker/evaluate.ts',
    find: 'wrong.sort((a, b) => b.confidence - a.confidence);',
    replace: 'wrong.sort((a, b) => a.confidence - b.confidence);',
    why: 'the least instructive mistakes shown first',
    tests: EVALUATE,
  },

  // A split's members (src/db/datasets.ts): the one source for training, evaluation and counts.
  {
    id: 'members-include-excluded',
    file: 'src/db/datasets.ts',
    find: 'split.codes[i] === code && !split.excluded?.[i]',
    replace: 'split.codes[i] === code',
    why: 'rejected and collapsed crops are trained and tested on',
    tests: MEMBERS,
  },
  {
    id: 'members-counts-excluded',
    file: 'src/db/datasets.ts',
    find: 'if (excluded?.[i]) continue;',
    replace: '',
    why: 'split counts include rejected crops',
    tests: MEMBERS,
  },
  {
    id: 'members-no-validation-count',
    file: 'src/db/datasets.ts',
    find: 'else if (codes[i] === SPLIT_CODES.validation) counts.validation++;',
    replace: '',
    why: 'the validation count stays 0',
    tests: MEMBERS,
  },

  // Keras files (src/ml/keras/): what Keras itself reads from the files we write.
  {
    id: 'keras-bn-names-swapped',
    file: 'src/ml/keras/kerasConfig.ts',
    find: "[...(l.scale ? ['gamma'] : []), ...(l.center ? ['beta'] : []), 'moving_mean', 'moving_variance']",
    replace: "[...(l.center ? ['beta'] : []), ...(l.scale ? ['gamma'] : []), 'moving_mean', 'moving_variance']",
    why: 'a legacy .h5 names BatchNormalization\'s gamma "beta" and the other way round',
    tests: KERAS,
  },
  {
    id: 'keras-var-keys-by-name',
    file: 'src/ml/keras/kerasConfig.ts',
    find: 'return chain.layers.map((l) => unique(toSnakeCase(kerasClassName(l))));',
    replace: 'return chain.layers.map((l) => unique(l.name));',
    why: 'a .keras file keys layers by their names, where Keras looks them up by class',
    tests: KERAS,
  },
  {
    id: 'keras-resize-corners',
    file: 'src/ml/keras/inputResize.ts',
    find: 'const src = Math.max(0, (i + 0.5) * scale - 0.5);',
    replace: 'const src = i * scale;',
    why: 'faces resized without half-pixel centres (not as Keras or PyTorch resize)',
    tests: KERAS,
  },

  // Class weights (src/features/train/shared/classWeights.ts, the loss in src/ml/trainStep.ts).
  {
    id: 'class-weights-ignored',
    file: 'src/ml/trainStep.ts',
    find: "oneHot = tf.mul(oneHot, tf.tensor1d(classWeights as number[], 'float32'));",
    replace: 'void oneHot;',
    why: 'the weights never reach the loss',
    tests: CLASS_WEIGHTS,
  },
  {
    id: 'class-weights-at-20',
    file: 'src/features/train/shared/classWeights.ts',
    find: 'const imbalanced = (max - min) * 5 > max;',
    replace: 'const imbalanced = (max - min) * 5 >= max;',
    why: 'exactly 20 % fewer already weighted',
    tests: CLASS_WEIGHTS,
  },
  {
    id: 'class-weights-inverted',
    file: 'src/features/train/shared/classWeights.ts',
    find: 'counts.map((c) => (c > 0 ? n / (k * c) : 1))',
    replace: 'counts.map((c) => (c > 0 ? (k * c) / n : 1))',
    why: 'the majority class weighted up',
    tests: CLASS_WEIGHTS,
  },
  // Hyperparameter sweep planning (src/features/train/shared/sweep.ts).
  {
    id: 'sweep-budget-late',
    file: 'src/features/train/shared/sweep.ts',
    find: 'if (spentMs >= budgetMs)',
    replace: 'if (spentMs > budgetMs)',
    why: 'one more trial starts when the budget is exactly spent',
    tests: SWEEP,
  },
  {
    id: 'sweep-restarts-interrupted',
    file: 'src/features/train/shared/sweep.ts',
    find: "return { ...t, status: 'stopped' };",
    replace: "return { ...t, runId: null, status: 'waiting' };",
    why: 'a trial cut off by a reload is retrained from scratch as a new run',
    tests: SWEEP,
  },
  {
    id: 'sweep-lr-uniform',
    file: 'src/features/train/shared/sweep.ts',
    find: 'const v = Math.exp(rng.range(detLog(r.min), detLog(r.max)));',
    replace: 'const v = rng.range(r.min, r.max);',
    why: 'learning rates drawn uniformly: 90 % in the top decade',
    tests: SWEEP,
  },
  {
    id: 'sweep-ties-to-later',
    file: 'src/features/train/shared/sweep.ts',
    find: 'acc > bestAcc) {',
    replace: 'acc >= bestAcc) {',
    why: 'a tie names the later trial best',
    tests: SWEEP,
  },
  // wasm training kernels in JS (src/ml/wasmLayout.ts, src/ml/wasmMaxPoolGrad.ts): a wrong index trains silently.
  {
    id: 'flip-forgets-flip',
    file: 'src/ml/wasmLayout.ts',
    find: 'const s0 = (taps - 1 - t) * block;',
    replace: 'const s0 = t * block;',
    why: "the input gradient's filter is transposed but not flipped",
    tests: WASM_LAYOUT,
  },
  {
    id: 'swap-wrong-batch-stride',
    file: 'src/ml/wasmLayout.ts',
    find: 's += pixels * d) dst[o++] = src[s];',
    replace: 's += d) dst[o++] = src[s];',
    why: "the weight gradient reads one image's neighbouring pixels instead of the other images",
    tests: WASM_LAYOUT,
  },
  {
    id: 'maxpool-grad-last-tie',
    file: 'src/ml/wasmMaxPoolGrad.ts',
    find: 'if (v > best[k]) {',
    replace: 'if (v >= best[k]) {',
    why: 'ties send the gradient to the last maximum, not the first (the cpu backend and Keras take the first)',
    tests: WASM_POOL,
  },
  {
    id: 'maxpool-grad-positive-start',
    file: 'src/ml/wasmMaxPoolGrad.ts',
    find: 'best.fill(-Infinity);',
    replace: 'best.fill(1.17549435e-38);',
    why: "tfjs-wasm's own bug back: all-negative windows lose their gradient",
    tests: WASM_POOL,
  },
  {
    id: 'reduce-mean-divides-by-channels',
    file: 'src/ml/wasmReductions.ts',
    find: 'const scale = mean ? 1 / rows : 1;',
    replace: 'const scale = mean ? 1 / channels : 1;',
    why: 'batch-norm means divided by the wrong count',
    tests: WASM_REDUCE,
  },
  {
    id: 'reduce-takes-any-axes',
    file: 'src/ml/wasmReductions.ts',
    find: 'for (let i = 0; i < axes.length; i++) if (axes[i] !== i) return null;',
    replace: '',
    why: 'a reduction over other axes (e.g. spatial only) is summed per channel instead',
    tests: WASM_REDUCE,
  },
];
