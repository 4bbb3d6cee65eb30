/**
 * See page: classify an image file with the chosen run — "as is" (its exact 64×64 pixels, or resized to 64×64,
 * no face detection) or through face detection like the photo ingest (each face found is cropped and classified).
 */
import { useState } from 'react';
import { cropFacesInPhoto } from '../../../bridge/ingestBridge';
import { ClassifiedImage, classifyPixels, type Classified } from './ClassifiedImage';
import { asIsNote, decodeAsIs } from './decodeAsIs';
import type { RunJob } from '../../../ui/useWorkerJob';

export function ClassifyImageCard({ runId, busy, run }: { runId: string; busy: boolean; run: RunJob }) {
  const [asIs, setAsIs] = useState(true);
  const [shown, setShown] = useState<{ asIs: boolean; results: Classified[] }>({ asIs: true, results: [] });
  const open = (file: File) =>
    run(`Classifying ${file.name}`, async ({ call }) => {
      setShown({ asIs, results: [] });
      if (asIs) {
        const image = await decodeAsIs(file, file.name);
        setShown({ asIs, results: [await classifyPixels(call, runId, file.name, image.pixels, asIsNote(image))] });
        return;
      }
      const crops = await cropFacesInPhoto(file, () => {}); // one photo on See: short, no bar of its own
      if (crops.length === 0) throw new Error(`No face found in ${file.name}.`);
      const out: Classified[] = [];
      for (const [i, c] of crops.entries()) {
        out.push(
          await classifyPixels(
            call,
            runId,
            `face ${i + 1} of ${file.name}`,
            c.pixels,
            `Found by face detection (score ${c.score.toFixed(2)}) and cropped to 64×64.`,
          ),
        );
      }
      setShown({ asIs, results: out });
    });
  return (
    <section
      className="card"
      aria-label="Classify an image file"
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        const file = e.dataTransfer.files[0];
        if (file && !busy) void open(file);
      }}
    >
      <h3>Classify an image file</h3>
      <label>
        Image to classify{' '}
        <input
          type="file"
          accept="image/*"
          disabled={busy || !runId}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = ''; // the same file again is a new pick
            if (file) void open(file);
          }}
        />
      </label>{' '}
      <label>
        <input type="checkbox" checked={asIs} onChange={(e) => setAsIs(e.target.checked)} /> Use as is (already a 64×64
        crop)
      </label>{' '}
      (or drop it here; nothing is stored)
      {shown.results
        .filter((r) => r.runId === runId)
        .map((r) => (
          <ClassifiedImage key={r.name} result={r} label={shown.asIs ? 'Image as is' : `Classified ${r.name}`} />
        ))}
    </section>
  );
}
