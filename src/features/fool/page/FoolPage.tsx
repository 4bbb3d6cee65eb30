/**
 * Fool page (paper §5): click a face to fool the model with the paper's ±2.5 % attack (or FGSM / BIM / PGD),
 * see original, noise and modified side by side, check the saved PNG; fool a batch and get the paper's numbers.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { cropFacesInPhoto } from '../../../bridge/ingestBridge';
import type { AttackSettings } from '../shared/attackSettings';
import { DEFAULT_ATTACK } from '../shared/attackSettings';
import { attackKind } from '../shared/attackKinds';
import type { SplitName } from '../../../shared/protocol';
import type { FoolBatchReport, FoolImageResult, GalleryResult } from '../shared/protocol';
import { useLab } from '../../../store/labStore';
import { foolLinkParams, hashParams, parseFoolLink, shareUrl } from '../../../shared/deepLink';
import { PixelImage } from '../../../ui/PixelImage';
import { JobProgress } from '../../../ui/JobProgress';
import { useWorkerJob } from '../../../ui/useWorkerJob';
import { AttackForm } from './AttackForm';
import { BatchReport } from './BatchReport';
import { FoolPanel } from './FoolPanel';
import { RobustnessPanel } from './RobustnessPanel';
import { NoModelYet } from '../../../ui/NoModelYet';
import { RunPicker } from '../../../ui/RunPicker';
import { useRunsTrainingElsewhere } from '../../../ui/useRunsTrainingElsewhere';
import { ClassifiedImage, classifyPixels, type Classified } from '../../classify/page/ClassifiedImage';
import { asIsNote, decodeAsIs } from '../../classify/page/decodeAsIs';
import { argMax } from '../../../shared/argMax';
import { errorMessage } from '../../../shared/errorMessage';
import { PIXELS_PER_IMAGE } from '../../../shared/imageGeometry';
import { copyText } from '../../../ui/copyText';
import { Tooltip } from '../../../ui/Tooltip';

const PAGE = 48;
/** What the ingest worker does after each of its stages (cropFacesInPhoto): reading, decoding, finding faces. */
const PHOTO_STAGES = ['reading', 'decoding', 'finding faces', 'done'];

function Gallery({
  gallery,
  busy,
  onPick,
}: {
  gallery: GalleryResult;
  busy: boolean;
  onPick: (index: number) => void;
}) {
  return (
    <div className="grid" aria-label="Faces to fool">
      {gallery.indices.map((index, i) => {
        const probs = gallery.probs[i];
        const predicted = argMax(probs);
        const correct = predicted === gallery.labels[i];
        const name = `Fool face #${index}: ${gallery.classNames[gallery.labels[i]]}, predicted ${gallery.classNames[predicted]} ${(probs[predicted] * 100).toFixed(0)} %${correct ? '' : ' (wrong)'}`;
        return (
          // The picture has no text: the hint shows the face's name (its accessible name) on hover and focus.
          <Tooltip key={index} text={name} nameOnly>
            <button
              className={`face ${correct ? 'correct' : 'wrong'}`}
              aria-label={name}
              disabled={busy}
              data-correct={correct}
              onClick={() => onPick(index)}
            >
              <PixelImage
                pixels={gallery.pixels.subarray(i * PIXELS_PER_IMAGE, (i + 1) * PIXELS_PER_IMAGE)}
                label=""
                width={64}
              />
            </button>
          </Tooltip>
        );
      })}
    </div>
  );
}

export function FoolPage() {
  const allRuns = useLab((s) => s.runs);
  const runs = useMemo(() => allRuns.filter((r) => r.checkpointEpoch !== null), [allRuns]);
  // A deep link (#/fool?run=…&img=…&attack=…) sets the attack and fools its image once its run is loaded.
  const link = useRef(parseFoolLink(hashParams(location.hash)));
  const [runId, setRunId] = useState('');
  const [split, setSplit] = useState<SplitName>('test');
  const [limit, setLimit] = useState(PAGE);
  const [settings, setSettings] = useState<AttackSettings>(link.current?.settings ?? DEFAULT_ATTACK);
  const [shareLink, setShareLink] = useState<string | null>(null);
  const [gallery, setGallery] = useState<GalleryResult | null>(null);
  const [result, setResult] = useState<FoolImageResult | null>(null);
  const [perClass, setPerClass] = useState(50);
  const [batch, setBatch] = useState<{ report: FoolBatchReport; zip: Uint8Array } | null>(null);
  const [photoFaces, setPhotoFaces] = useState<{
    name: string;
    crops: Array<{ pixels: Uint8Array; score: number }>;
  } | null>(null);
  // "Use as is": a file that already is a 64×64 crop (e.g. a downloaded modified PNG) is classified on its own pixels.
  const [asIs, setAsIs] = useState(false);
  const [asIsResult, setAsIsResult] = useState<Classified | null>(null);
  // Every long call of this page goes through one job: its progress, its Cancel, its error line.
  const { job, busy, error, setError, cancelled, run: work, cancel } = useWorkerJob();
  // The gallery loads on its own job: a new pick supersedes the last one's answer, and it never cancels an attack.
  const { run: load } = useWorkerJob();
  const demoRunId = useLab((s) => s.demo.runId);
  const selected = runId || (runs.some((r) => r.id === demoRunId) ? demoRunId! : runs[0]?.id) || '';
  // Runs another tab is training (not this tab's own run): labelled in the pickers, kept out of comparisons.
  const held = useRunsTrainingElsewhere();
  const ownRunId = useLab((s) => s.training.runId);
  const elsewhere = useMemo(
    () => (ownRunId && held.has(ownRunId) ? new Set([...held].filter((id) => id !== ownRunId)) : held),
    [held, ownRunId],
  );

  useEffect(() => {
    if (!selected) return;
    setError(null);
    void load('Gallery', async ({ call, signal }) => {
      try {
        setGallery(await call('gallery', { runId: selected, split, limit }));
      } catch (err) {
        if (!signal.aborted) setError(errorMessage(err));
      }
    });
  }, [selected, split, limit, setError, load]);

  const fool = (imageIndex: number, run = selected, attack = settings) =>
    work(`Fooling face #${imageIndex}`, async ({ call, progress }) => {
      setResult(
        await call(
          'foolImage',
          { runId: run, imageIndex, settings: attack },
          { onProgress: (p) => progress(p.step, attackKind(attack).stepLimit(attack), 'steps') },
        ),
      );
      // The URL now says what is on screen, so it can be copied (the demo model is named "demo").
      const query = foolLinkParams({ run: run === demoRunId ? 'demo' : run, img: imageIndex, settings: attack });
      history.replaceState(null, '', `${location.pathname}${location.search}#/fool?${query}`);
      setShareLink(shareUrl(`${location.origin}${location.pathname}`, 'fool', query, run === demoRunId));
    });

  useEffect(() => {
    const l = link.current;
    if (!l) return;
    const target = l.run === 'demo' ? demoRunId : l.run;
    if (!target || !runs.some((r) => r.id === target)) return;
    link.current = null;
    setRunId(target);
    void fool(l.img, target, l.settings);
    // fool() reads only its arguments here; running once per link is the point.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runs, demoRunId]);

  const foolPixels = (pixels: Uint8Array, name: string) =>
    work(`Fooling ${name}`, async ({ call, progress }) => {
      setResult(
        await call(
          'foolImage',
          { runId: selected, imageIndex: -1, pixels, settings },
          { onProgress: (p) => progress(p.step, settings.maxSteps, 'steps') },
        ),
      );
    });

  const openPhoto = (file: File) =>
    asIs
      ? work(`Classifying ${file.name} as is`, async ({ call }) => {
          setPhotoFaces(null);
          setAsIsResult(null);
          const image = await decodeAsIs(file, file.name);
          setAsIsResult(await classifyPixels(call, selected, file.name, image.pixels, asIsNote(image)));
        })
      : findFaces(file);

  const findFaces = (file: File) =>
    work(`Finding faces in ${file.name}`, async ({ signal, progress }) => {
      setAsIsResult(null);
      setPhotoFaces(null);
      const crops = await cropFacesInPhoto(file, (p) => progress(p.done, p.total, PHOTO_STAGES[p.done]), signal);
      setPhotoFaces({ name: file.name, crops });
      if (crops.length === 0) setError(`No face found in ${file.name}.`);
    });

  const foolBatch = () =>
    work('Fooling a batch', async ({ call }) => {
      // The report replaces the old one only once the whole batch is done.
      setBatch(await call('foolBatch', { runId: selected, split, perClass, settings }));
    });

  if (runs.length === 0) {
    return (
      <div className="page">
        <h2>Fool</h2>
        <NoModelYet page="fool" why="one epoch is enough to try fooling it" />
      </div>
    );
  }
  return (
    <div className="page">
      <h2>Fool</h2>
      <section className="card controls">
        <RunPicker runs={runs} value={selected} onChange={setRunId} elsewhere={elsewhere} />
        <label>
          Images{' '}
          <select value={split} onChange={(e) => setSplit(e.target.value as SplitName)}>
            <option value="test">test set</option>
            <option value="validation">validation set</option>
          </select>
        </label>
      </section>
      <AttackForm value={settings} onChange={setSettings} />
      <JobProgress job={job} cancelled={cancelled} onCancel={cancel} />
      {error && <p role="alert">{error}</p>}
      {result && <FoolPanel key={`${result.index}-${result.ms}`} result={result} />}
      {result && shareLink && result.index >= 0 && (
        <section className="card controls" aria-label="Share this view">
          <label>
            Link to this view <input readOnly value={shareLink} size={60} onFocus={(e) => e.target.select()} />
          </label>
          <button onClick={() => void copyText(shareLink, 'Link')}>Copy link</button>
        </section>
      )}
      <section className="card">
        <h3>Click a face to fool it</h3>
        {gallery ? (
          <>
            <p>
              {gallery.indices.length} of {gallery.total} {split} images; correctly classified ones have a green frame.
            </p>
            <Gallery gallery={gallery} busy={busy} onPick={(i) => void fool(i)} />
            {gallery.indices.length < gallery.total && (
              <button onClick={() => setLimit((l) => l + PAGE)}>Show more faces</button>
            )}
          </>
        ) : (
          <p>Loading faces…</p>
        )}
      </section>
      <section
        className="card"
        aria-label="Your photo"
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => {
          e.preventDefault();
          const file = e.dataTransfer.files[0];
          if (file && !busy) void openPhoto(file);
        }}
      >
        <h3>Or fool a face from your photo</h3>
        <label>
          Photo to fool{' '}
          <input
            type="file"
            accept="image/*"
            disabled={busy}
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = ''; // the same file again is a new pick
              if (file) void openPhoto(file);
            }}
          />
        </label>{' '}
        <label>
          <input type="checkbox" checked={asIs} onChange={(e) => setAsIs(e.target.checked)} /> Use as is (already a
          64×64 crop)
        </label>{' '}
        {asIs
          ? '(or drop it here; its own pixels are classified, no face detection; nothing is stored)'
          : '(or drop it here; faces are found and cropped in this browser, nothing is stored)'}
        {asIsResult && asIsResult.runId === selected && (
          <ClassifiedImage
            result={asIsResult}
            label="Image as is"
            busy={busy}
            onFool={() => void foolPixels(asIsResult.pixels, asIsResult.name)}
          />
        )}
        {photoFaces && (
          <div className="grid">
            {photoFaces.crops.map((c, i) => (
              <button
                key={i}
                className="face"
                aria-label={`Fool face ${i + 1} of ${photoFaces.name}`}
                disabled={busy}
                onClick={() => void foolPixels(c.pixels, `face ${i + 1} of ${photoFaces.name}`)}
              >
                <PixelImage pixels={c.pixels} label="" width={64} />
              </button>
            ))}
          </div>
        )}
      </section>
      <section className="card controls">
        <h3>Batch (paper: 200 correctly classified images per class)</h3>
        <label>
          Images per class{' '}
          <input
            type="number"
            min={1}
            max={1000}
            value={perClass}
            onChange={(e) => setPerClass(Math.max(1, Math.round(Number(e.target.value))))}
          />
        </label>
        <button disabled={busy} onClick={() => void foolBatch()}>
          Fool batch
        </button>
      </section>
      {batch && <BatchReport report={batch.report} zip={batch.zip} />}
      <RobustnessPanel
        runId={selected}
        runs={runs}
        elsewhere={elsewhere}
        ownRunId={ownRunId}
        split={split}
        perClass={perClass}
        settings={settings}
        busy={busy}
        work={work}
      />
    </div>
  );
}
