/**
 * Four saliency maps of one test image, each twice: laid over the face at the opacity the slider sets, and on
 * its own as a heatmap beside it, both in the heat colour scale (colormap.ts) with its legend. The colours
 * are computed here from the worker's Float32Array maps (saliencyImages.ts).
 */
import { useMemo, useState } from 'react';
import type { SaliencyResult } from '../shared/protocol';
import { PixelImage } from '../../../ui/PixelImage';
import { GridCanvas } from './GridCanvas';
import { exportFigurePng } from './exportFigure';
import { saliencyFigure } from './seeFigures';
import { attributionScale, heatmapImage, legendImage, normaliseAttribution, overlayImage } from './saliencyImages';

export const METHOD_LABELS: Record<string, string> = {
  gradient: 'Vanilla gradient',
  smoothgrad: 'SmoothGrad',
  gradcam: 'Grad-CAM (last conv layer)',
  'integrated-gradients': 'Integrated Gradients',
};

const LEGEND = legendImage(256, 24);
const FIGURE_LEGEND = legendImage(128, 12);
const sci = (v: number) => (v === 0 ? '0' : v >= 0.01 && v < 1000 ? v.toPrecision(2) : v.toExponential(1));

export function SaliencyMaps({ result, imageIndex }: { result: SaliencyResult; imageIndex: number }) {
  const [opacity, setOpacity] = useState(0.6);
  const maps = useMemo(
    () =>
      result.maps.map((m) => {
        const scale = attributionScale(m.map);
        const norm = normaliseAttribution(m.map, scale);
        return { ...m, scale, norm, heatmap: heatmapImage(norm) };
      }),
    [result],
  );
  const overlays = useMemo(
    () => maps.map((m) => ({ ...m, image: overlayImage(result.image, m.norm, opacity) })),
    [maps, result, opacity],
  );
  const name = result.classNames[result.classIndex];
  const percent = Math.round(opacity * 100);
  return (
    <section aria-label="Saliency maps" className="see-saliency">
      <div className="controls">
        <p>
          Explaining <strong>“{name}”</strong> ({(result.probs[result.classIndex] * 100).toFixed(1)} %) for test image{' '}
          {imageIndex}; true class {result.classNames[result.label]}.
        </p>
        <label className="opacity">
          Overlay opacity{' '}
          <input
            type="range"
            min={0}
            max={100}
            step={5}
            value={percent}
            onChange={(e) => setOpacity(Number(e.target.value) / 100)}
          />{' '}
          <output>{percent} %</output>
        </label>
        <button
          onClick={() =>
            void exportFigurePng(saliencyFigure(result, overlays, maps, FIGURE_LEGEND), 'saliency-maps.png')
          }
        >
          Export PNG
        </button>
      </div>
      <div className="saliency-grid" style={{ gridTemplateColumns: `repeat(${overlays.length + 1}, minmax(0, 1fr))` }}>
        <figure>
          <PixelImage pixels={result.image} label={`Test image ${imageIndex}`} width={144} />
          <figcaption>
            Test image {imageIndex} ({result.classNames[result.label]})
          </figcaption>
        </figure>
        {overlays.map((o) => (
          <figure key={o.method}>
            <GridCanvas image={o.image} scale={2.25} label={`${METHOD_LABELS[o.method]} saliency`} />
            <figcaption>
              <strong>{METHOD_LABELS[o.method]}</strong>
              <br />
              over the face at {percent} % · {o.ms.toFixed(0)} ms
            </figcaption>
          </figure>
        ))}
        <figure className="legend-cell">
          <GridCanvas image={LEGEND} scale={0.625} label="Colour scale of the heatmaps" />
          <figcaption>
            <span className="legend-ends">
              <span>0</span>
              <span>high</span>
            </span>
            |attribution|, each map scaled to its own 99th percentile (higher values clipped)
          </figcaption>
        </figure>
        {maps.map((m) => (
          <figure key={m.method}>
            <GridCanvas image={m.heatmap} scale={2.25} label={`${METHOD_LABELS[m.method]} heatmap`} />
            <figcaption>
              {METHOD_LABELS[m.method]} heatmap
              <br />
              top of scale = {sci(m.scale)}
            </figcaption>
          </figure>
        ))}
      </div>
    </section>
  );
}
