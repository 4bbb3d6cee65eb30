/**
 * See page (paper §6), in tabs (src/ui/Tabs.tsx) under one bar that picks the model and the test image:
 * Filters (every 3×3 filter of every conv layer, FilterLayers.tsx, with the filter inspector: point at a
 * filter to see its feature map on the chosen image; and an untrained model of any preset), Feature maps,
 * Activation maximisation (8 filters of a layer, or N of every layer: AllLayersMaxPanel), Saliency (four
 * methods, as overlays and heatmaps: SaliencyView.tsx), Where it looks (the region table, measured) and Sanity
 * checks (model and label randomisation). The tab is in the URL (`#/see?…&tab=saliency`), so a reload or a
 * shared link reopens it. Every panel exports as a PNG figure (exportFigure.ts).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ActivationMaxResultSet, FeatureMapsResult, FilterLayer, SaliencyResult } from '../shared/protocol';
import { useLab } from '../../../store/labStore';
import { FilterLayers, UntrainedFilters, type PickedFilter } from './FilterLayers';
import { WhereItLooksPanel } from './WhereItLooksPanel';
import { SanityChecksPanel } from './SanityChecksPanel';
import { AllLayersMaxPanel } from './AllLayersMaxPanel';
import { ActivationMaxGrid } from './ActivationMaxGrid';
import { FeatureMaps, FilterInspector } from './FeatureMapsView';
import { SaliencyMaps } from './SaliencyView';
import { RunPicker } from '../../../ui/RunPicker';
import { NoModelYet } from '../../../ui/NoModelYet';
import { Tabs } from '../../../ui/Tabs';
import { hashParams, parseSeeLink, seeLinkParams, seeTab, shareUrl, type SeeTab } from '../../../shared/deepLink';
import { useWorkerJob, type JobContext } from '../../../ui/useWorkerJob';
import { ClassifyImageCard } from '../../classify/page/ClassifyImageCard';
import { JobProgress } from '../../../ui/JobProgress';
import './see.css';
import { copyText } from '../../../ui/copyText';

/** What a result was computed for, so a panel never shows one image's maps under another's number. */
interface For {
  runId: string;
  imageIndex: number;
}
const same = (a: For | null, b: For) => a !== null && a.runId === b.runId && a.imageIndex === b.imageIndex;

export function SeePage() {
  const allRuns = useLab((s) => s.runs);
  const runs = useMemo(() => allRuns.filter((r) => r.checkpointEpoch !== null), [allRuns]);
  const [runId, setRunId] = useState<string>('');
  const [imageIndex, setImageIndex] = useState(0);
  const [filters, setFilters] = useState<FilterLayer[] | null>(null);
  const [maps, setMaps] = useState<{ result: FeatureMapsResult; for: For } | null>(null);
  const [saliency, setSaliency] = useState<{ result: SaliencyResult; for: For } | null>(null);
  const [explain, setExplain] = useState<'predicted' | 'other'>('predicted');
  const [amLayer, setAmLayer] = useState('');
  // The worker's default (ACTIVATION_MAX_DEFAULTS.steps); fewer steps give a rougher image sooner on slow backends.
  const [amSteps, setAmSteps] = useState(128);
  const [actMax, setActMax] = useState<ActivationMaxResultSet | null>(null);
  const [picked, setPicked] = useState<PickedFilter | null>(null);
  const [hovered, setHovered] = useState<PickedFilter | null>(null);
  // Every worker call of this page (and of the panels handed `run`) goes through one job: busy, error, unmount.
  const { busy: working, error, run, cancel } = useWorkerJob();
  // Maximising a layer's filters takes seconds to minutes: its own job, with the worker's progress and Cancel.
  const maximising = useWorkerJob();
  const busy = working || maximising.busy;
  const demoRunId = useLab((s) => s.demo.runId);
  const selected = runId || (runs.some((r) => r.id === demoRunId) ? demoRunId! : runs[0]?.id) || '';
  const now: For = { runId: selected, imageIndex };

  // Deep link (#/see?run=…&img=…&layer=…&tab=…): filters, that image's feature maps and that layer's maximised filters.
  const link = useRef(parseSeeLink(hashParams(location.hash)));
  const [tab, setTab] = useState<SeeTab>(() => seeTab(hashParams(location.hash)));
  const [shown, setShown] = useState<{ run: string; img: number; layer: string | null } | null>(null);
  const linkRun = shown && (shown.run === demoRunId ? 'demo' : shown.run);
  const query = shown ? seeLinkParams({ run: linkRun!, img: shown.img, layer: shown.layer, tab }) : `tab=${tab}`;
  const shareLink = shown
    ? shareUrl(`${location.origin}${location.pathname}`, 'see', query, shown.run === demoRunId)
    : null;
  // The view (and the tab) in the address bar: a reload or a copied URL comes back here.
  useEffect(() => {
    if (!link.current) history.replaceState(null, '', `${location.pathname}${location.search}#/see?${query}`);
  }, [query]);

  const maximise = async (
    call: JobContext['call'],
    runFor: string,
    layers: FilterLayer[],
    layerName: string,
    steps?: number,
  ) => {
    const layer = layers.find((f) => f.name === layerName) ?? layers[layers.length - 1];
    const count = Math.min(8, layer.shape[3]);
    setActMax(
      await call('activationMax', {
        runId: runFor,
        layerName: layer.name,
        filters: Array.from({ length: count }, (_, i) => i),
        seed: 1,
        steps,
      }),
    );
    return layer.name;
  };
  const showMaps = (at: For) =>
    run('Feature maps', async ({ call }) => {
      setMaps({ result: await call('featureMaps', { runId: at.runId, imageIndex: at.imageIndex }), for: at });
      setShown({ run: at.runId, img: at.imageIndex, layer: actMax?.layerName ?? null });
    });
  const loadFilters = () => run('Filters', async ({ call }) => setFilters(await call('filters', { runId: selected })));

  useEffect(() => {
    const l = link.current;
    if (!l) return;
    const target = l.run === 'demo' ? demoRunId : l.run;
    if (!target || !runs.some((r) => r.id === target)) return;
    link.current = null;
    setRunId(target);
    setImageIndex(l.img);
    void run('The linked view', async ({ call }) => {
      const layers = await call('filters', { runId: target });
      setFilters(layers);
      setMaps({
        result: await call('featureMaps', { runId: target, imageIndex: l.img }),
        for: { runId: target, imageIndex: l.img },
      });
      let layerName: string | null = null;
      if (l.layer) {
        setAmLayer(l.layer);
        layerName = await maximise(call, target, layers, l.layer);
      }
      setShown({ run: target, img: l.img, layer: layerName });
    });
    // Runs once per link, when its run is available.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runs, demoRunId]);

  // A filter clicked in the grids is kept; hovering shows another for as long as the pointer stays on it.
  const pick = (p: PickedFilter | null, how: 'hover' | 'click') => {
    // Every mouse move reports its tile: re-render only when the tile changes.
    if (how === 'hover') return setHovered((was) => (was?.layer === p?.layer && was?.filter === p?.filter ? was : p));
    if (!p) return;
    setPicked(p);
    if (!same(maps?.for ?? null, now) && !busy) void showMaps(now);
  };
  const currentMaps = maps && same(maps.for, now) ? maps.result : null;

  if (runs.length === 0)
    return (
      <div className="page see">
        <h2>See</h2>
        <NoModelYet page="see" why="one epoch is enough to look inside it" />
        <UntrainedFilters busy={busy} run={run} />
      </div>
    );

  const filtersTab = (
    <>
      <div className="controls tab-actions">
        <button disabled={busy} onClick={() => void loadFilters()}>
          Show filters
        </button>
        <span className="see-note">
          The learned 3×3 kernels of every conv layer. Point at one to see what it responds to in test image{' '}
          {imageIndex}.
        </span>
      </div>
      {filters && (
        <div className="filters-layout">
          <FilterLayers layers={filters} onPick={pick} picked={hovered ?? picked} />
          <FilterInspector
            layers={filters}
            picked={hovered ?? picked}
            maps={currentMaps}
            imageIndex={imageIndex}
            busy={busy}
            onPick={(p) => pick(p, 'click')}
            onShowMaps={() => void showMaps(now)}
          />
        </div>
      )}
      <UntrainedFilters busy={busy} run={run} />
    </>
  );

  const featureMapsTab = (
    <>
      <div className="controls tab-actions">
        <button disabled={busy} onClick={() => void showMaps(now)}>
          Show feature maps
        </button>
        <span className="see-note">What each conv layer computes from test image {imageIndex}.</span>
      </div>
      {maps && <FeatureMaps result={maps.result} imageIndex={maps.for.imageIndex} />}
    </>
  );

  const activationTab = (
    <>
      <div className="controls tab-actions">
        {filters ? (
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
              <input
                type="number"
                min={1}
                max={2048}
                value={amSteps}
                onChange={(e) => setAmSteps(Math.max(1, Math.min(2048, Math.round(Number(e.target.value)) || 1)))}
              />
            </label>
            <button
              disabled={busy}
              onClick={() =>
                void maximising.run('Maximising filters', async ({ call }) => {
                  // Shown only once every filter is done: a cancel leaves the last grid as it was.
                  const name = await maximise(call, selected, filters, amLayer, amSteps);
                  setShown({ run: selected, img: imageIndex, layer: name });
                })
              }
            >
              Maximise 8 filters
            </button>
          </>
        ) : (
          <button disabled={busy} onClick={() => void loadFilters()}>
            Load the model's layers
          </button>
        )}
        <span className="see-note">
          Synthetic images that excite one filter as much as possible: what the filter looks for.
        </span>
      </div>
      <JobProgress job={maximising.job} cancelled={maximising.cancelled} onCancel={maximising.cancel} />
      {maximising.error && <p role="alert">{maximising.error}</p>}
      {actMax && <ActivationMaxGrid result={actMax} />}
      <AllLayersMaxPanel runId={selected} busy={busy} run={run} cancel={cancel} />
    </>
  );

  const saliencyTab = (
    <>
      <div className="controls tab-actions">
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
            void run('Saliency', async ({ call }) =>
              setSaliency({ result: await call('saliency', { runId: selected, imageIndex, explain }), for: now }),
            )
          }
        >
          Show saliency maps
        </button>
        <span className="see-note">
          Which pixels of test image {imageIndex} move the class score most, by four methods.
        </span>
      </div>
      {saliency && <SaliencyMaps result={saliency.result} imageIndex={saliency.for.imageIndex} />}
    </>
  );

  return (
    <div className="page see">
      <h2>See</h2>
      <p className="see-lede">
        Look inside a trained network: the filters it learned, what they respond to in a face, which pixels decide its
        answer, and whether those explanations depend on the network at all.
      </p>
      <section className="card controls see-bar" aria-label="Model and image">
        <RunPicker runs={runs} value={selected} onChange={setRunId} />
        <label>
          Image index{' '}
          <input
            type="number"
            min={0}
            value={imageIndex}
            onChange={(e) => setImageIndex(Math.max(0, Number(e.target.value)))}
          />
        </label>
        <span className="see-note">a test image, used by Filters, Feature maps and Saliency</span>
        {busy && <span role="status">Working…</span>}
        {error && <p role="alert">{error}</p>}
        {shareLink && (
          <span className="share" aria-label="Share this view" role="group">
            <label>
              Link to this view <input readOnly value={shareLink} size={40} onFocus={(e) => e.target.select()} />
            </label>
            <button onClick={() => void copyText(shareLink, 'Link')}>Copy link</button>
          </span>
        )}
      </section>
      <Tabs
        label="What to look at"
        selected={tab}
        onSelect={setTab}
        tabs={[
          { id: 'filters', label: 'Filters', content: filtersTab },
          { id: 'feature-maps', label: 'Feature maps', content: featureMapsTab },
          { id: 'activation-max', label: 'Activation maximisation', content: activationTab },
          { id: 'saliency', label: 'Saliency', content: saliencyTab },
          { id: 'where', label: 'Where it looks', content: <WhereItLooksPanel runId={selected} busy={busy} /> },
          { id: 'sanity', label: 'Sanity checks', content: <SanityChecksPanel runId={selected} busy={busy} /> },
        ]}
      />
      <ClassifyImageCard runId={selected} busy={busy} run={run} />
    </div>
  );
}
