/**
 * One fooled face, in the paper's layout (figs 3–4): original, amplified noise and modified side by side with
 * both class confidences; a step slider replays the run; the saved-PNG check says whether the file fools too.
 */
import { useMemo, useState } from 'react';
import { noiseImage } from '../shared/noiseImage';
import { readsSetting, stepRule } from '../shared/attackKinds';
import { describeOutcome, savedVerdict } from '../shared/outcome';
import type { FoolImageResult } from '../shared/protocol';
import { downloadBytes } from '../../../ui/download';
import { LineChart } from '../../../ui/LineChart';
import { PixelImage } from '../../../ui/PixelImage';
import { paperFigurePng } from './figure';
import { argMax } from '../../../shared/argMax';
import { showToast } from '../../../ui/toasts';
import { errorMessage } from '../../../shared/errorMessage';
import { seriesColor } from '../../../ui/chartColors';
import { plural } from '../../../shared/plural';

function stepText(s: FoolImageResult['settings']): string {
  const r = stepRule(s);
  return `${r.update === 'sign' ? 'sign' : 'plain gradient'} steps of ${s.stepSize} level${s.stepSize === 1 ? '' : 's'}${r.schedule === 'decay' ? ', decaying' : ''}`;
}

const pct = (p: number) => `${(p * 100).toFixed(1)} %`;

/** Saves a PNG and says so (the browser's download shelf is easy to miss). */
function download(png: Uint8Array | Blob, name: string): void {
  downloadBytes(png, name, 'image/png');
  showToast(`Downloaded ${name}.`);
}

function Confidences({ names, probs }: { names: string[]; probs: number[] }) {
  return (
    <span>
      {names.map((n, i) => (
        <span key={n}>
          {i > 0 && ' · '}
          {n} {pct(probs[i])}
        </span>
      ))}
    </span>
  );
}

export function FoolPanel({ result }: { result: FoolImageResult }) {
  const lastStep = result.history.length - 1;
  const [step, setStep] = useState(lastStep);
  const shownStep = Math.min(step, lastStep);
  // The recorded frame at or before the chosen step (frames are subsampled for long runs).
  const frame = useMemo(() => {
    let best = result.frames[0];
    for (const f of result.frames) if (f.step <= shownStep) best = f;
    return best;
  }, [result.frames, shownStep]);
  const modified = shownStep === lastStep ? result.modified : frame.pixels;
  const noise = useMemo(() => noiseImage(result.original, modified), [result.original, modified]);
  const names = result.classNames;
  const target = names[result.target];
  const savedTop = argMax(result.saved.probs);
  const outcome = useMemo(() => describeOutcome({ ...result, names: result.classNames }), [result]);

  return (
    <section aria-label="Fooled face" className="card">
      <h3>
        {result.index >= 0
          ? `Face #${result.index} (${names[result.label]})`
          : `Your face (seen as ${names[result.label]})`}{' '}
        → {outcome.heading}
      </h3>
      {outcome.why && <p data-testid="fool-outcome">{outcome.why}</p>}
      <p>
        Rule: {result.ruleText}. Target: {target}. {plural(result.steps, 'step')} in {result.ms.toFixed(0)} ms
        {readsSetting(result.settings, 'stepSize') ? ` (${stepText(result.settings)})` : ''}.
      </p>
      <div className="grid">
        <figure>
          <PixelImage pixels={result.original} label="Original face" width={160} />
          <figcaption>
            Original · <Confidences names={names} probs={result.probsBefore} />
          </figcaption>
        </figure>
        <figure>
          <PixelImage pixels={noise.pixels} label="Noise, amplified" width={160} />
          <figcaption>
            Noise ×{noise.scale} (max {noise.maxAbs} levels)
          </figcaption>
        </figure>
        <figure>
          <PixelImage pixels={modified} label="Modified face" width={160} />
          <figcaption>
            Modified (step {shownStep}) ·{' '}
            <Confidences names={names} probs={shownStep === lastStep ? result.probsAfter : result.history[shownStep]} />
          </figcaption>
        </figure>
      </div>
      <label>
        Replay step{' '}
        <input
          type="range"
          min={0}
          max={lastStep}
          value={shownStep}
          onChange={(e) => setStep(Number(e.target.value))}
        />{' '}
        {shownStep} / {lastStep}
      </label>
      <LineChart
        title="Confidence per step"
        xLabel="step"
        yMin={0}
        yMax={1}
        series={names.map((n, c) => ({
          name: n,
          color: seriesColor(c),
          points: result.history.map((p, s) => [s, p[c]] as [number, number]),
        }))}
      />
      <p>
        Change: L∞ {result.norms.linf} levels · L2 {result.norms.l2.toFixed(3)} · mean |Δ|{' '}
        {result.norms.meanAbs.toFixed(2)} levels · largest change relative to the pixel{' '}
        {pct(Number.isFinite(result.norms.maxRelative) ? result.norms.maxRelative : 0)} · {result.norms.changed} values
        changed ·{' '}
        {result.withinBound
          ? 'every saved pixel obeys the rule'
          : 'some saved pixels break the rule by rounding (float attack)'}
      </p>
      <p data-testid="saved-check">
        Saved as PNG ({result.saved.png.length} bytes), decoded and classified again: {names[savedTop]}{' '}
        {pct(result.saved.probs[savedTop])} — {savedVerdict(result.success, result.saved.fooled)}
        {result.saved.identical ? '' : ' (decoding changed some pixels)'}.
      </p>
      <div className="controls">
        <button onClick={() => download(result.saved.png, `fooled-${result.index}-as-${target}.png`)}>
          Download modified PNG
        </button>
        <button
          onClick={() =>
            void paperFigurePng(result).then(
              (b) => download(b, `fooled-${result.index}-figure.png`),
              (err: unknown) => void showToast(`The figure could not be drawn: ${errorMessage(err)}`, 'error'),
            )
          }
        >
          Download figure
        </button>
      </div>
    </section>
  );
}
