/**
 * Kiosk mode (issue #6): one participant, alone, full screen — consent, anonymous id, "seen them before?",
 * training (each face with its name for the display time), the timed same/different test, and "which features
 * did you use?". Stimulus timing is imperative (timedDisplay.ts) so React rendering never delays a frame.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { FEATURES, type ParticipantResult, type SurveyKit, type TrialRecord } from '../shared/types';
import { measureFrameMs, showFor, type DisplayTiming } from './timedDisplay';
import { IMAGE_SIDE } from '../../../shared/imageGeometry';

type Phase = 'consent' | 'about' | 'training-intro' | 'training' | 'test-intro' | 'trial' | 'answer' | 'features';

function draw(canvas: HTMLCanvasElement | null, pixels: Uint8Array | undefined) {
  const ctx = canvas?.getContext('2d');
  if (!ctx || !pixels) return;
  const img = ctx.createImageData(IMAGE_SIDE, IMAGE_SIDE);
  for (let p = 0; p < IMAGE_SIDE * IMAGE_SIDE; p++)
    img.data.set([pixels[p * 3], pixels[p * 3 + 1], pixels[p * 3 + 2], 255], p * 4);
  ctx.putImageData(img, 0, 0);
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

function participantId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return `P-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export function SurveyKiosk({
  kit,
  onFinish,
  onExit,
}: {
  kit: SurveyKit;
  onFinish: (r: ParticipantResult) => void;
  onExit: () => void;
}) {
  const images = useMemo(() => new Map(kit.images.map((im) => [im.id, im])), [kit]);
  const [phase, setPhase] = useState<Phase>('consent');
  const [pid] = useState(participantId);
  const [seenBefore, setSeenBefore] = useState<boolean | null>(null);
  const [trainIndex, setTrainIndex] = useState(0);
  const [trial, setTrial] = useState(0);
  const [timing, setTiming] = useState<DisplayTiming | null>(null);
  const [features, setFeatures] = useState<string[]>([]);
  const [other, setOther] = useState('');
  const trials = useRef<TrialRecord[]>([]);
  const frameMs = useRef(1000 / 60);
  const startedAt = useRef(new Date().toISOString());
  const stimulus = useRef<HTMLDivElement>(null);
  const left = useRef<HTMLCanvasElement>(null);
  const right = useRef<HTMLCanvasElement>(null);
  const single = useRef<HTMLCanvasElement>(null);
  const [trainingName, setTrainingName] = useState('');

  // Training: each face with its name for the display time, a short blank between faces.
  useEffect(() => {
    if (phase !== 'training') return;
    let cancelled = false;
    const id = kit.training[trainIndex];
    const im = images.get(id);
    draw(single.current, im?.pixels);
    setTrainingName(im ? kit.classNames[im.label] : '');
    void (async () => {
      await wait(300);
      if (cancelled || !stimulus.current) return;
      const el = stimulus.current;
      await showFor(
        kit.displayMs,
        frameMs.current,
        () => (el.style.visibility = 'visible'),
        () => (el.style.visibility = 'hidden'),
      );
      if (cancelled) return;
      if (trainIndex + 1 < kit.training.length) setTrainIndex(trainIndex + 1);
      else setPhase('test-intro');
    })();
    return () => {
      cancelled = true;
    };
  }, [phase, trainIndex, kit, images]);

  // Test trial: fixation, the pair for the display time (measured), then the mask and the answer buttons.
  useEffect(() => {
    if (phase !== 'trial') return;
    let cancelled = false;
    const pair = kit.pairs[trial];
    draw(left.current, images.get(pair.a)?.pixels);
    draw(right.current, images.get(pair.b)?.pixels);
    void (async () => {
      await wait(400);
      if (cancelled || !stimulus.current) return;
      const el = stimulus.current;
      const t = await showFor(
        kit.displayMs,
        frameMs.current,
        () => (el.style.visibility = 'visible'),
        () => (el.style.visibility = 'hidden'),
      );
      if (cancelled) return;
      setTiming(t);
      setPhase('answer');
    })();
    return () => {
      cancelled = true;
    };
  }, [phase, trial, kit, images]);

  const answer = useCallback(
    (a: 'same' | 'different') => {
      if (phase !== 'answer' || !timing) return;
      const pair = kit.pairs[trial];
      trials.current.push({
        pairIndex: trial,
        same: pair.same,
        answer: a,
        correct: (a === 'same') === pair.same,
        shownMs: timing.shownMs,
        targetMs: timing.targetMs,
        frameMs: timing.frameMs,
        overran: timing.overran,
        responseMs: performance.now() - timing.hiddenAt,
      });
      setTiming(null);
      if (trial + 1 < kit.pairs.length) {
        setTrial(trial + 1);
        setPhase('trial');
      } else setPhase('features');
    },
    [phase, timing, kit, trial],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 's' || e.key === 'ArrowLeft') answer('same');
      if (e.key === 'd' || e.key === 'ArrowRight') answer('different');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [answer]);

  const start = async (next: Phase) => {
    frameMs.current = await measureFrameMs();
    setPhase(next);
  };

  return (
    <div className="kiosk" role="dialog" aria-modal="true" aria-label="Survey">
      <button className="kiosk-exit" onClick={onExit} aria-label="Leave the survey">
        ×
      </button>
      {phase === 'consent' && (
        <div className="kiosk-text">
          <h2>{kit.name}</h2>
          <p>
            You will see photos of two people for a very short time and say whether two photos show the same person. It
            takes a few minutes. Your answers are anonymous and stay on this device until the experimenter exports them.
          </p>
          <button className="big" onClick={() => setPhase('about')}>
            I agree, start
          </button>
        </div>
      )}
      {phase === 'about' && (
        <div className="kiosk-text">
          <p>
            Your anonymous participant id: <strong data-testid="participant-id">{pid}</strong>
          </p>
          <fieldset>
            <legend>Had you seen these people before?</legend>
            <label>
              <input type="radio" name="seen" checked={seenBefore === true} onChange={() => setSeenBefore(true)} /> Yes
            </label>
            <label>
              <input type="radio" name="seen" checked={seenBefore === false} onChange={() => setSeenBefore(false)} /> No
            </label>
          </fieldset>
          <button className="big" onClick={() => setPhase('training-intro')}>
            Continue
          </button>
        </div>
      )}
      {phase === 'training-intro' && (
        <div className="kiosk-text">
          <p>First, learn the two people: {kit.training.length} photos, each with its name, each for a moment.</p>
          <button className="big" onClick={() => void start('training')}>
            Start training
          </button>
        </div>
      )}
      {phase === 'test-intro' && (
        <div className="kiosk-text">
          <p>
            Now {kit.pairs.length} pairs. Each pair flashes for {kit.displayMs} ms; then answer Same or Different (keys
            S / D).
          </p>
          <button className="big" onClick={() => void start('trial')}>
            Start the test
          </button>
        </div>
      )}
      {(phase === 'training' || phase === 'trial' || phase === 'answer') && (
        <div className="kiosk-stage">
          <div className="fixation" aria-hidden="true">
            +
          </div>
          <div ref={stimulus} className="stimulus" style={{ visibility: 'hidden' }} data-testid="stimulus">
            {phase === 'training' ? (
              <figure>
                <canvas ref={single} width={64} height={64} className="pixel-image kiosk-face single" />
                <figcaption>{trainingName}</figcaption>
              </figure>
            ) : (
              <>
                <canvas ref={left} width={64} height={64} className="pixel-image kiosk-face" />
                <canvas ref={right} width={64} height={64} className="pixel-image kiosk-face" />
              </>
            )}
          </div>
          {phase === 'answer' && (
            <div className="answers">
              <div className="mask" aria-hidden="true" />
              <p>
                Pair {trial + 1} of {kit.pairs.length}
              </p>
              <button className="big" onClick={() => answer('same')}>
                Same
              </button>
              <button className="big" onClick={() => answer('different')}>
                Different
              </button>
            </div>
          )}
        </div>
      )}
      {phase === 'features' && (
        <div className="kiosk-text">
          <fieldset>
            <legend>Which features did you use?</legend>
            {FEATURES.map((f) => (
              <label key={f}>
                <input
                  type="checkbox"
                  checked={features.includes(f)}
                  onChange={(e) => setFeatures(e.target.checked ? [...features, f] : features.filter((x) => x !== f))}
                />{' '}
                {f}
              </label>
            ))}
          </fieldset>
          <label>
            Anything else <textarea value={other} onChange={(e) => setOther(e.target.value)} />
          </label>
          <button
            className="big"
            onClick={() =>
              onFinish({
                format: 'lookalike-lab-survey-result/1',
                kitId: kit.id,
                participantId: pid,
                condition: kit.condition,
                seenBefore,
                startedAt: startedAt.current,
                trials: trials.current,
                features,
                otherFeatures: other,
              })
            }
          >
            Finish
          </button>
        </div>
      )}
    </div>
  );
}
