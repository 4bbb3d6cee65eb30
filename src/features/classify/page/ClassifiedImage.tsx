/**
 * One image classified by a run's model, shown with every class probability (issue 16 item 6): the exact
 * pixels of a file used "as is", or a face found by face detection. `classifyPixels` asks the lab worker through
 * the page's job (`call` of useWorkerJob).
 */
import { PixelImage } from '../../../ui/PixelImage';
import { argMax } from '../../../shared/argMax';
import type { JobContext } from '../../../ui/useWorkerJob';

export interface Classified {
  runId: string;
  name: string;
  pixels: Uint8Array;
  /** How the pixels were obtained, in words (exact, resized, detected). */
  note: string;
  probs: number[];
  classNames: string[];
}

export async function classifyPixels(
  call: JobContext['call'],
  runId: string,
  name: string,
  pixels: Uint8Array,
  note: string,
): Promise<Classified> {
  const { probs, classNames } = await call('classify', { runId, pixels });
  return { runId, name, pixels, note, probs, classNames };
}

const pct = (p: number) => `${(p * 100).toFixed(2)} %`;

export function ClassifiedImage({
  result,
  label,
  onFool,
  busy,
}: {
  result: Classified;
  label: string;
  onFool?: () => void;
  busy?: boolean;
}) {
  const predicted = argMax(result.probs);
  return (
    <section aria-label={label} className="card">
      <h3>
        {result.name}: {result.classNames[predicted] ?? `class ${predicted}`} {pct(result.probs[predicted])}
      </h3>
      <div className="grid">
        <PixelImage pixels={result.pixels} label={`${result.name}, as classified`} width={128} />
        <div>
          <p>{result.note}</p>
          <table aria-label="Class probabilities">
            <tbody>
              {result.probs.map((p, i) => (
                <tr key={i}>
                  <th scope="row">{result.classNames[i] ?? `class ${i}`}</th>
                  <td data-probability={p}>{pct(p)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {onFool && (
            <button disabled={busy} onClick={onFool}>
              Fool this image
            </button>
          )}
        </div>
      </div>
    </section>
  );
}
