/**
 * The See page's panels as figures for `exportFigurePng` (exportFigure.ts): the same images and captions as
 * on the page, with the panel's explanatory line as subtitle so the PNG stands on its own in a report. Pure.
 */
import type {
  ActivationMaxAllLayers,
  ActivationMaxLayerRow,
  ActivationMaxResultSet,
  FeatureMapLayer,
  FeatureMapsResult,
  FilterLayer,
  SaliencyMethodName,
  SaliencyResult,
  SanityChecks,
  SanityStage,
  WhereItLooks,
} from '../shared/protocol';
import { mapImage, rgbImage, type Figure } from './exportFigure';
import type { GridImage } from './render';
import { masksNote } from './regionLabels';
import { argMax } from '../../../shared/argMax';
import { PIXELS_PER_IMAGE } from '../../../shared/imageGeometry';
import { plural } from '../../../shared/plural';

export const METHOD_NAMES: Record<SaliencyMethodName, string> = {
  gradient: 'Gradient',
  smoothgrad: 'SmoothGrad',
  gradcam: 'Grad-CAM',
  'integrated-gradients': 'Integrated Gradients',
};
const pct = (p: number) => `${(p * 100).toFixed(1)} %`;
const ratio = (r: number) => (Number.isFinite(r) ? `${r.toFixed(2)}×` : '—');
export const rho = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '—');
/** "↓ conv3": the layers from the output down to conv3 are random (no-break space: the arrow stays with its layer). */
export const stageLabel = (s: SanityStage) => (s.kind === 'cascade' ? `↓\u00a0${s.name}` : s.name);

export function filtersFigure(layers: FilterLayer[], grids: GridImage[]): Figure {
  const total = layers.reduce((n, l) => n + l.shape[3], 0);
  return {
    title: `Filters: ${layers.length} conv layers, ${total} filters`,
    subtitle: [
      'First layer in colour, deeper layers as the mean over input channels; each filter normalised on its own.',
    ],
    cells: layers.map((l, i) => ({
      image: grids[i],
      scale: 6,
      caption: `${l.name}: ${l.shape[3]} filters of ${l.shape[0]}×${l.shape[1]}×${l.shape[2]}`,
    })),
    columns: 1,
  };
}

export function featureMapsFigure(
  result: FeatureMapsResult,
  grids: Array<{ layer: FeatureMapLayer; grid: GridImage }>,
): Figure {
  const predicted = argMax(result.probs);
  return {
    title: 'Feature maps',
    subtitle: [
      `True: ${result.classNames[result.label]} · predicted: ${result.classNames[predicted]} (${pct(result.probs[predicted])})`,
    ],
    cells: [
      { image: rgbImage(result.image), caption: 'Input image' },
      ...grids.map(({ layer, grid }) => ({
        image: grid,
        scale: Math.max(1, Math.round(96 / layer.height)), // as on the page: every layer's grid about as large
        caption: `${layer.name}: ${layer.height}×${layer.width}, 16 strongest of ${layer.channels} channels`,
      })),
    ],
    columns: 1,
  };
}

export function saliencyFigure(
  result: SaliencyResult,
  overlays: Array<{ method: SaliencyMethodName; image: GridImage; ms: number }>,
  heatmaps: Array<{ method: SaliencyMethodName; heatmap: GridImage; scale: number }> = [],
  legend?: GridImage,
): Figure {
  const name = result.classNames[result.classIndex];
  return {
    title: `Saliency maps: explaining “${name}” (${pct(result.probs[result.classIndex])})`,
    subtitle: [
      `True class ${result.classNames[result.label]}. Heat = |attribution|, each map scaled to its own 99th percentile (higher values clipped); Grad-CAM on the last conv layer.`,
    ],
    cells: [
      { image: rgbImage(result.image), caption: 'Face' },
      ...overlays.map((o) => ({ image: o.image, caption: `${METHOD_NAMES[o.method]} · ${o.ms.toFixed(0)} ms` })),
      ...(heatmaps.length && legend ? [{ image: legend, scale: 1, caption: 'colour scale: 0 → top' }] : []),
      ...heatmaps.map((h) => ({
        image: h.heatmap,
        caption: `${METHOD_NAMES[h.method]} heatmap\ntop = ${h.scale.toPrecision(2)}`,
      })),
    ],
    columns: overlays.length + 1,
    cellSize: 160,
  };
}

export function activationMaxFigure(result: ActivationMaxResultSet): Figure {
  return {
    title: `Activation maximisation: ${result.layerName}`,
    subtitle: [`Gain = the filter's activation on the image ÷ its mean over ${result.baselineImages} test images.`],
    cells: result.results.map((r) => ({
      image: rgbImage(r.pixels),
      caption: `filter ${r.filter} · gain ${Number.isFinite(r.gain) ? `${r.gain.toFixed(1)}×` : 'n/a'}`,
    })),
    columns: 4,
  };
}

const gainText = (g: number) => (Number.isFinite(g) ? `${g.toFixed(1)}×` : 'n/a');

/** One all-layers row as a single-layer result set (its per-layer export uses activationMaxFigure). */
export function rowAsResultSet(row: ActivationMaxLayerRow, baselineImages: number): ActivationMaxResultSet {
  return { layerName: row.layerName, baselineImages, results: row.results };
}

/**
 * Every finished row of the all-layers run: one figure row per conv layer, its filters left to right. Every
 * caption is two short lines (layer and filter; gain) so all rows have the same height.
 */
export function activationMaxLayersFigure(
  result: Pick<ActivationMaxAllLayers, 'rows' | 'layersTotal' | 'baselineImages' | 'steps'>,
): Figure {
  const perRow = Math.max(1, ...result.rows.map((r) => r.results.length));
  return {
    title: `Activation maximisation, every conv layer: ${result.rows.length} of ${result.layersTotal} layers`,
    subtitle: [
      `${perRow} evenly spaced filters per layer, ${plural(result.steps, 'step')} of gradient ascent each (seeded; L2, total variation, blur, jitter).`,
      `Gain = the filter's activation on the image ÷ its mean over ${result.baselineImages} test images.`,
    ],
    cells: result.rows.flatMap((row) =>
      row.results.map((r) => ({
        image: rgbImage(r.pixels),
        caption: `${row.layerName} · filter ${r.filter}\ngain ${gainText(r.gain)}`,
      })),
    ),
    columns: perRow, // default cellSize 128: a 64-px image at 2×, wide enough for "conv4 · filter 48" on one line
  };
}

/** The region table (text only), as on the page. */
export function regionFigure(result: WhereItLooks): Figure {
  return {
    title: 'Where it looks, measured',
    subtitle: [
      `${result.images} test faces, each explained for its true class: each region's share of |attribution| (× its share of the area).`,
      '* = regions that differ between the two people; pointing game: the map’s peak on one of them (chance in brackets).',
      masksNote(result),
    ],
    cells: [],
    columns: 1,
    table: [
      ['Region', 'Area', ...result.rows.map((r) => METHOD_NAMES[r.method])],
      ...result.regions.map((region, i) => [
        `${region}${result.targets.includes(region) ? ' *' : ''}`,
        pct(result.rows[0].area[i]),
        ...result.rows.map((r) => `${pct(r.attribution[i])} (${ratio(r.ratio[i])})`),
      ]),
      [
        `Pointing game on ${result.targets.join(' / ')}`,
        '',
        ...result.rows.map((r) => `${pct(r.pointing.rate)} (${pct(r.pointing.chance)})`),
      ],
    ],
  };
}

/** One face of the sanity checks: per method the face and its map at every stage (ρ for this face); the mean-ρ table under it. */
export function sanityFigure(r: SanityChecks, face: number): Figure {
  const pixels = r.pixels.subarray(face * PIXELS_PER_IMAGE, (face + 1) * PIXELS_PER_IMAGE);
  const cells = r.methods.flatMap((method, m) => [
    {
      image: rgbImage(pixels),
      caption: `${METHOD_NAMES[method]}\n(test face ${r.imageIndices[face]}, ${r.classNames[r.labels[face]]})`,
    },
    ...r.stages.map((s, k) => ({
      image: mapImage(r.maps[k][m][face]),
      caption: `${stageLabel(s)}\nρ ${rho(r.perImage[k][m][face])}`,
    })),
  ]);
  return {
    title: 'Sanity checks (Adebayo et al. 2018): do the saliency maps depend on the model?',
    subtitle: [
      '|attribution| maps of one test face for its true class; ↓ layer = the weights from the output down to that layer re-initialised.',
      `ρ = Spearman rank correlation with the trained model's map (this face); the table: mean ρ over ${r.imageIndices.length} test faces.`,
    ],
    cells,
    columns: r.stages.length + 1,
    cellSize: 128,
    table: [
      ['mean ρ', ...r.stages.map(stageLabel)],
      ...r.methods.map((method, m) => [METHOD_NAMES[method], ...r.stages.map((_, k) => rho(r.spearman[k][m]))]),
    ],
    footer: r.stages
      .filter((s) => s.kind === 'labels')
      .map(
        (s) =>
          `labels shuffled: a re-initialised copy trained on shuffled labels (${((s.trainAccuracy ?? NaN) * 100).toFixed(0)} % of them memorised).`,
      ),
  };
}
