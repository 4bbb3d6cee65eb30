/** Activation maximisation of 8 filters of one layer: each filter's image and its gain over the test-set mean. */
import type { ActivationMaxResultSet } from '../shared/protocol';
import { PixelImage } from '../../../ui/PixelImage';
import { exportFigurePng } from './exportFigure';
import { activationMaxFigure } from './seeFigures';
import { plural } from '../../../shared/plural';

export function ActivationMaxGrid({ result }: { result: ActivationMaxResultSet }) {
  return (
    <section aria-label="Activation maximisation">
      <p>
        {result.layerName}: images that maximise each filter by {plural(result.results[0]?.steps ?? 0, 'step')} of
        gradient ascent (seeded; L2, total variation, blur and jitter). Gain = the filter's activation on the image ÷
        its mean over {result.baselineImages} test images.{' '}
        <button
          onClick={() => void exportFigurePng(activationMaxFigure(result), `activation-max-${result.layerName}.png`)}
        >
          Export PNG
        </button>
      </p>
      <div className="grid see-tiles">
        {result.results.map((r) => (
          <figure key={r.filter} data-ms={Math.round(r.ms)}>
            <PixelImage pixels={r.pixels} label={`Filter ${r.filter} of ${result.layerName}, maximised`} width={96} />
            <figcaption>
              {result.layerName} filter {r.filter} · gain {Number.isFinite(r.gain) ? `${r.gain.toFixed(1)}×` : 'n/a'}
            </figcaption>
          </figure>
        ))}
      </div>
    </section>
  );
}
