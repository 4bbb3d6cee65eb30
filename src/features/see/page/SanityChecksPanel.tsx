/**
 * Sanity checks for saliency maps (Adebayo et al. 2018), on the page: re-initialise the layers from the output
 * down to each layer in turn, optionally train a copy on shuffled labels, and show every method's maps side
 * by side with their Spearman rank correlation with the trained model's maps. A method whose maps barely change
 * when the weights are random is explaining the image (edges, contrast), not what the network learned.
 */
import { useMemo, useState } from 'react';
import { JobProgress } from '../../../ui/JobProgress';
import { useWorkerJob } from '../../../ui/useWorkerJob';
import type { SaliencyMethodName, SanityChecks } from '../shared/protocol';
import { PixelImage } from '../../../ui/PixelImage';
import { GridCanvas } from './GridCanvas';
import { exportFigurePng, mapImage } from './exportFigure';
import { METHOD_NAMES, rho, sanityFigure, stageLabel } from './seeFigures';
import { PIXELS_PER_IMAGE } from '../../../shared/imageGeometry';
import { Tooltip } from '../../../ui/Tooltip';

const METHODS: SaliencyMethodName[] = ['gradient', 'smoothgrad', 'gradcam', 'integrated-gradients'];

function Results({ result }: { result: SanityChecks }) {
  const [chosen, setFace] = useState(0);
  // A rerun with fewer faces keeps this component (and its state): clamp.
  const face = Math.min(chosen, result.imageIndices.length - 1);
  const images = useMemo(
    () => result.methods.map((_, m) => result.stages.map((_, k) => mapImage(result.maps[k][m][face]))),
    [result, face],
  );
  const labelStage = result.stages.find((s) => s.kind === 'labels');
  return (
    <>
      <table aria-label="Spearman correlation with the original maps">
        <thead>
          <tr>
            <th>Method</th>
            {result.stages.map((s) => (
              <th key={s.name}>
                {s.randomised.length ? (
                  // Focusable so keyboard users can read which layers this stage randomised.
                  <Tooltip text={`random: ${s.randomised.join(', ')}`}>
                    <span tabIndex={0}>{stageLabel(s)}</span>
                  </Tooltip>
                ) : (
                  stageLabel(s)
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {result.methods.map((method, m) => (
            <tr key={method}>
              <th scope="row">{METHOD_NAMES[method]}</th>
              {result.stages.map((s, k) => (
                <td key={s.name} data-testid={`rho-${method}-${s.name}`}>
                  {rho(result.spearman[k][m])}
                  {result.constant[k][m] > 0 ? ` (${result.constant[k][m]} flat)` : ''}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        Mean Spearman ρ of |attribution| with the trained model's maps over {result.imageIndices.length} test faces,
        each explained for its true class. “↓ conv3”: every layer from the output down to conv3 re-initialised
        (Glorot-uniform kernels, zero biases, identity batch norm), the layers below it still trained. Low ρ at “↓{' '}
        {result.stages.at(-1 - (labelStage ? 1 : 0))?.name}” (all layers random) is what a method that depends on the
        model should show. A flat map has no ranking and counts as ρ = 0.
        {labelStage &&
          ` “labels shuffled”: a re-initialised copy trained on shuffled labels (${((labelStage.trainAccuracy ?? NaN) * 100).toFixed(0)} % of them memorised).`}{' '}
        Maps computed in {(result.ms / 1000).toFixed(1)} s.
      </p>
      <div className="controls">
        <label>
          Face{' '}
          <select value={face} onChange={(e) => setFace(Number(e.target.value))}>
            {result.imageIndices.map((index, i) => (
              <option key={index} value={i}>
                test face {index} ({result.classNames[result.labels[i]]})
              </option>
            ))}
          </select>
        </label>{' '}
        <button
          onClick={() =>
            void exportFigurePng(sanityFigure(result, face), `sanity-checks-face-${result.imageIndices[face]}.png`)
          }
        >
          Export PNG
        </button>
      </div>
      {/* .grid figure: the page's small centred captions; the inline grid keeps one row per method, one column per stage. */}
      <div
        role="group"
        aria-label="Maps at each randomisation stage"
        className="grid"
        style={{ display: 'grid', gridTemplateColumns: `repeat(${result.stages.length + 1}, 84px)`, overflowX: 'auto' }}
      >
        {result.methods.map((method, m) => [
          <figure key={`${method}-face`}>
            <PixelImage
              pixels={result.pixels.subarray(face * PIXELS_PER_IMAGE, (face + 1) * PIXELS_PER_IMAGE)}
              label={`Face for ${METHOD_NAMES[method]}`}
              width={80}
            />
            <figcaption>
              <strong>{METHOD_NAMES[method]}</strong>
              <br />
              test face {result.imageIndices[face]}
            </figcaption>
          </figure>,
          ...result.stages.map((s, k) => (
            <figure key={`${method}-${s.name}`}>
              <GridCanvas image={images[m][k]} scale={1.25} label={`${METHOD_NAMES[method]} map, ${stageLabel(s)}`} />
              <figcaption>
                {stageLabel(s)}
                <br />ρ {rho(result.perImage[k][m][face])}
              </figcaption>
            </figure>
          )),
        ])}
      </div>
    </>
  );
}

export function SanityChecksPanel({ runId, busy }: { runId: string; busy: boolean }) {
  const [count, setCount] = useState(4);
  const [withLabels, setWithLabels] = useState(false);
  const [labelFaces, setLabelFaces] = useState(64);
  const [labelEpochs, setLabelEpochs] = useState(8);
  const [result, setResult] = useState<SanityChecks | null>(null);
  // Its own job (progress by stage, Cancel): the results are replaced only by a whole new run of the checks.
  const job = useWorkerJob();
  const whole = (v: string, lo: number, hi: number) => Math.max(lo, Math.min(hi, Math.round(Number(v)) || lo));
  return (
    <section className="card" aria-label="Sanity checks">
      <h3>Sanity checks: do the maps depend on the model?</h3>
      <p>
        Adebayo et al. 2018: re-initialise the network's weights from the output layer down, one layer at a time, and
        compare each method's maps with the trained model's. A map that hardly changes explains the image, not the
        network.
      </p>
      <div className="controls">
        <label>
          Test faces{' '}
          <input
            type="number"
            min={1}
            max={16}
            value={count}
            onChange={(e) => setCount(whole(e.target.value, 1, 16))}
          />
        </label>
        <label>
          <input type="checkbox" checked={withLabels} onChange={(e) => setWithLabels(e.target.checked)} /> Also train a
          copy on shuffled labels (slower)
        </label>
        {withLabels && (
          <>
            <label>
              Shuffled-label faces{' '}
              <input
                type="number"
                min={8}
                max={512}
                value={labelFaces}
                onChange={(e) => setLabelFaces(whole(e.target.value, 8, 512))}
              />
            </label>
            <label>
              Epochs{' '}
              <input
                type="number"
                min={1}
                max={50}
                value={labelEpochs}
                onChange={(e) => setLabelEpochs(whole(e.target.value, 1, 50))}
              />
            </label>
          </>
        )}
        <button
          disabled={busy || job.busy || !runId}
          onClick={() =>
            void job.run('Sanity checks', async ({ call }) => {
              setResult(
                await call('sanityChecks', {
                  runId,
                  count,
                  methods: METHODS,
                  shuffledLabels: withLabels ? { images: labelFaces, epochs: labelEpochs } : undefined,
                }),
              );
            })
          }
        >
          Run sanity checks
        </button>
        <JobProgress job={job.job} cancelled={job.cancelled} onCancel={job.cancel} />
        {job.error && <p role="alert">{job.error}</p>}
      </div>
      {result && <Results result={result} />}
    </section>
  );
}
