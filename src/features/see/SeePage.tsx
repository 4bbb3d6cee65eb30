/**
 * See page (paper §6): every 3×3 filter of every conv layer of a trained model (FilterLayers.tsx, which also shows
 * an untrained model of any preset), and the feature maps of every
 * conv layer for a chosen image, four saliency maps (gradient, SmoothGrad, Grad-CAM, Integrated Gradients) and
 * activation maximisation of 8 filters of a layer or of N filters of every conv layer (AllLayersMaxPanel), the region table ("where it looks", measured) and sanity checks
 * (model and label randomisation, SanityChecksPanel). Every panel exports as a PNG figure (exportFigure.ts).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { labBridge } from '../../bridge/labBridge';
import type { ActivationMaxResultSet, FeatureMapsResult, FilterLayer, SaliencyResult } from '../../shared/protocol';
import { useLab } from '../../store/labStore';
import { PixelImage } from '../../ui/PixelImage';
import { GridCanvas } from './GridCanvas';
import { FilterLayers, UntrainedFilters } from './FilterLayers';
import { WhereItLooksPanel } from './WhereItLooksPanel';
import { SanityChecksPanel } from './SanityChecksPanel';
import { AllLayersMaxPanel } from './AllLayersMaxPanel';
import { exportFigurePng } from './exportFigure';
import { activationMaxFigure, featureMapsFigure, saliencyFigure } from './seeFigures';
import { featureMapGrid, saliencyOverlay, strongestChannels } from './render';
import { RunPicker } from '../../ui/RunPicker';
import { NoModelYet } from '../../ui/NoModelYet';
import { hashParams, parseSeeLink, seeLinkParams, shareUrl } from '../../shared/deepLink';
import { useBusyWork } from '../../ui/useBusyWork';
import { ClassifyImageCard } from '../classify/ClassifyImageCard';
import { argMax } from '../../shared/argMax';


function FeatureMaps({ result }: { result: FeatureMapsResult }) {
  const grids = useMemo(
    () => result.layers.map((l) => ({ layer: l, grid: featureMapGrid(l, strongestChannels(l, 16)) })),
    [result],
  );
  const predicted = argMax(result.probs);
  return (
    <section aria-label="Feature maps">
      <div className="grid">
        <PixelImage pixels={result.image} label="Input image" width={128} />
        <p>
          True: {result.classNames[result.label]} · predicted: {result.classNames[predicted]} (
          {(result.probs[predicted] * 100).toFixed(1)} %)
        </p>
        <button onClick={() => void exportFigurePng(featureMapsFigure(result, grids), 'feature-maps.png')}>Export PNG</button>
      </div>
      {grids.map(({ layer, grid }) => (
        <figure key={layer.name}>
          <figcaption>
            {layer.name}: {layer.height}×{layer.width}, 16 strongest of {layer.channels} channels
          </figcaption>
          <GridCanvas image={grid} scale={Math.max(1, Math.round(96 / layer.height))} label={`Feature maps of ${layer.name}`} />
        </figure>
      ))}
    </section>
  );
}

const METHOD_LABELS: Record<string, string> = {
  gradient: 'Vanilla gradient',
  smoothgrad: 'SmoothGrad',
  gradcam: 'Grad-CAM (last conv layer)',
  'integrated-gradients': 'Integrated Gradients',
};

function SaliencyMaps({ result }: { result: SaliencyResult }) {
  const overlays = useMemo(() => result.maps.map((m) => ({ ...m, image: saliencyOverlay(result.image, m.map) })), [result]);
  const name = result.classNames[result.classIndex];
  return (
    <section aria-label="Saliency maps">
      <p>
        Explaining “{name}” ({(result.probs[result.classIndex] * 100).toFixed(1)} %); true class{' '}
        {result.classNames[result.label]}.{' '}
        <button onClick={() => void exportFigurePng(saliencyFigure(result, overlays), 'saliency-maps.png')}>Export PNG</button>
      </p>
      <div className="grid">
        <figure>
          <PixelImage pixels={result.image} label="Face" width={160} />
          <figcaption>Face</figcaption>
        </figure>
        {overlays.map((o) => (
          <figure key={o.method}>
            <GridCanvas image={o.image} scale={2.5} label={`${METHOD_LABELS[o.method]} saliency`} />
            <figcaption>
              {METHOD_LABELS[o.method]} · {o.ms.toFixed(0)} ms
            </figcaption>
          </figure>
        ))}
      </div>
    </section>
  );
}

function ActivationMaxGrid({ result }: { result: ActivationMaxResultSet }) {
  return (
    <section aria-label="Activation maximisation">
      <p>
        {result.layerName}: images that maximise each filter by {result.results[0]?.steps ?? 0} steps of gradient ascent (seeded;
        L2, total variation, blur and jitter). Gain = the filter's activation on the image ÷ its mean over {result.baselineImages} test images.{' '}
        <button onClick={() => void exportFigurePng(activationMaxFigure(result), `activation-max-${result.layerName}.png`)}>Export PNG</button>
      </p>
      <div className="grid">
        {result.results.map((r) => (
          <figure key={r.filter} data-ms={Math.round(r.ms)}>
            <PixelImage pixels={r.pixels} label={`Filter ${r.filter} of ${result.layerName}, maximised`} width={96} />
            <figcaption>
              filter {r.filter} · gain {Number.isFinite(r.gain) ? `${r.gain.toFixed(1)}×` : 'n/a'}
            </figcaption>
          </figure>
        ))}
      </div>
    </section>
  );
}

export function SeePage() {
  const allRuns = useLab((s) => s.runs);
  const runs = useMemo(() => allRuns.filter((r) => r.checkpointEpoch !== null), [allRuns]);
  const [runId, setRunId] = useState<string>('');
  const [imageIndex, setImageIndex] = useState(0);
  const [filters, setFilters] = useState<FilterLayer[] | null>(null);
  const [maps, setMaps] = useState<FeatureMapsResult | null>(null);
  const [saliency, setSaliency] = useState<SaliencyResult | null>(null);
  const [explain, setExplain] = useState<'predicted' | 'other'>('predicted');
  const [amLayer, setAmLayer] = useState('');
  // The worker's default (ACTIVATION_MAX_DEFAULTS.steps); fewer steps give a rougher image sooner on slow backends.
  const [amSteps, setAmSteps] = useState(128);
  const [actMax, setActMax] = useState<ActivationMaxResultSet | null>(null);
  const { busy, error, run } = useBusyWork();
  const demoRunId = useLab((s) => s.demo.runId);
  const selected = runId || (runs.some((r) => r.id === demoRunId) ? demoRunId! : runs[0]?.id) || '';

  // Deep link (#/see?run=…&img=…&layer=…): filters, that image's feature maps and that layer's maximised filters.
  const link = useRef(parseSeeLink(hashParams(location.hash)));
  const [shareLink, setShareLink] = useState<string | null>(null);
  const remember = (runFor: string, img: number, layer: string | null) => {
    const query = seeLinkParams({ run: runFor === demoRunId ? 'demo' : runFor, img, layer });
    history.replaceState(null, '', `${location.pathname}${location.search}#/see?${query}`);
    setShareLink(shareUrl(`${location.origin}${location.pathname}`, 'see', query, runFor === demoRunId));
  };
  const maximise = async (runFor: string, layers: FilterLayer[], layerName: string, steps?: number) => {
    const layer = layers.find((f) => f.name === layerName) ?? layers[layers.length - 1];
    const count = Math.min(8, layer.shape[3]);
    setActMax(await labBridge().call('activationMax', { runId: runFor, layerName: layer.name, filters: Array.from({ length: count }, (_, i) => i), seed: 1, steps }));
    return layer.name;
  };

  useEffect(() => {
    const l = link.current;
    if (!l) return;
    const target = l.run === 'demo' ? demoRunId : l.run;
    if (!target || !runs.some((r) => r.id === target)) return;
    link.current = null;
    setRunId(target);
    setImageIndex(l.img);
    void run(async () => {
      const layers = await labBridge().call('filters', { runId: target });
      setFilters(layers);
      setMaps(await labBridge().call('featureMaps', { runId: target, imageIndex: l.img }));
      let layerName: string | null = null;
      if (l.layer) {
        setAmLayer(l.layer);
        layerName = await maximise(target, layers, l.layer);
      }
      remember(target, l.img, layerName);
    });
    // Runs once per link, when its run is available.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runs, demoRunId]);



  return (
    <div className="page">
      <h2>See</h2>
      {runs.length === 0 ? (
        <NoModelYet page="see" why="one epoch is enough to look inside it" />
      ) : (
        <section className="card controls">
          <RunPicker runs={runs} value={selected} onChange={setRunId} />
          <button disabled={busy} onClick={() => void run(async () => setFilters(await labBridge().call('filters', { runId: selected })))}>
            Show filters
          </button>
          <label>
            Image index <input type="number" min={0} value={imageIndex} onChange={(e) => setImageIndex(Math.max(0, Number(e.target.value)))} />
          </label>
          <button
            disabled={busy}
            onClick={() =>
              void run(async () => {
                setMaps(await labBridge().call('featureMaps', { runId: selected, imageIndex }));
                remember(selected, imageIndex, actMax?.layerName ?? null);
              })
            }
          >
            Show feature maps
          </button>
          <label>
            Explain{' '}
            <select value={explain} onChange={(e) => setExplain(e.target.value as 'predicted' | 'other')}>
              <option value="predicted">the predicted class</option>
              <option value="other">the other class</option>
            </select>
          </label>
          <button
            disabled={busy}
            onClick={() =>
              void run(async () => setSaliency(await labBridge().call('saliency', { runId: selected, imageIndex, explain })))
            }
          >
            Show saliency maps
          </button>
          {filters && (
            <>
              <label>
                Layer{' '}
                <select value={amLayer || filters[filters.length - 1].name} onChange={(e) => setAmLayer(e.target.value)}>
                  {filters.map((f) => (
                    <option key={f.name}>{f.name}</option>
                  ))}
                </select>
              </label>
              <label>
                Steps{' '}
                <input type="number" min={1} max={2048} value={amSteps} onChange={(e) => setAmSteps(Math.max(1, Math.min(2048, Math.round(Number(e.target.value)) || 1)))} />
              </label>
              <button
                disabled={busy}
                onClick={() =>
                  void run(async () => {
                    const name = await maximise(selected, filters, amLayer, amSteps);
                    remember(selected, imageIndex, name);
                  })
                }
              >
                Maximise 8 filters
              </button>
            </>
          )}
          {busy && <span role="status">Working…</span>}
          {error && <p role="alert">{error}</p>}
        </section>
      )}
      {shareLink && (
        <section className="card controls" aria-label="Share this view">
          <label>
            Link to this view <input readOnly value={shareLink} size={60} onFocus={(e) => e.target.select()} />
          </label>
          <button onClick={() => void navigator.clipboard?.writeText(shareLink).catch(() => undefined)}>Copy link</button>
        </section>
      )}
      {filters && <FilterLayers layers={filters} />}
      {actMax && <ActivationMaxGrid result={actMax} />}
      {runs.length > 0 && <AllLayersMaxPanel runId={selected} busy={busy} run={run} />}
      {saliency && <SaliencyMaps result={saliency} />}
      {maps && <FeatureMaps result={maps} />}
      {runs.length > 0 && <ClassifyImageCard runId={selected} busy={busy} run={run} />}
      <UntrainedFilters busy={busy} run={run} />
      {runs.length > 0 && <WhereItLooksPanel runId={selected} busy={busy} />}
      {runs.length > 0 && <SanityChecksPanel runId={selected} busy={busy} />}
    </div>
  );
}
