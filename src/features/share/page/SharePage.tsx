/**
 * Share page: the demo link, models out (TensorFlow.js layers format, convertible to Keras .h5) and models in
 * (validated before use; a bad file changes nothing), and the privacy promise.
 */
import { useMemo, useState } from 'react';
import { refreshLists } from '../../../store/actions';
import { useLab } from '../../../store/labStore';
import { downloadBytes } from '../../../ui/download';
import { fetchHostedModel, hostedModelUrl } from './fetchModel';
import { kerasFileOf, readModelSelection } from './modelFiles';
import { RunPicker } from '../../../ui/RunPicker';
import { NoModelYet } from '../../../ui/NoModelYet';
import { useWorkerJob } from '../../../ui/useWorkerJob';
import { ReportSection } from './report/ReportSection';
import { copyText } from '../../../ui/copyText';
import { showToast } from '../../../ui/toasts';

export function SharePage() {
  const allRuns = useLab((s) => s.runs);
  const datasets = useLab((s) => s.datasets);
  const runs = useMemo(() => allRuns.filter((r) => r.checkpointEpoch !== null), [allRuns]);
  const [runId, setRunId] = useState('');
  const [datasetId, setDatasetId] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [note, setNote] = useState<string | null>(null);
  const { busy, error, run } = useWorkerJob();
  // Each job clears the last note first, as the error line is cleared.
  const work: typeof run = (label, task) => run(label, (ctx) => (setNote(null), task(ctx)));
  const selectedRun = runId || runs[0]?.id || '';
  const complete = datasets.filter((d) => d.complete);
  const selectedDataset = datasetId || complete[0]?.id || '';
  const demoLink = `${location.origin}${location.pathname}?demo`;
  const [hosted, setHosted] = useState(() => new URLSearchParams(location.search).get('model'));

  return (
    <div className="page">
      <h2>Share</h2>
      <p className="card" role="note">
        Your photos, datasets and models stay in this browser: nothing is uploaded, and the app loads nothing from other
        sites. A model leaves this device only when you download it here.
      </p>
      {hosted && (
        <section className="card" aria-label="Hosted model">
          <h3>Load the model this link points to?</h3>
          <p>
            The link asks to load <code>{hosted}</code> as a model on the dataset chosen below. It is checked before use
            (size, layer types, input and classes); nothing of yours is sent anywhere.
          </p>
          <button
            disabled={busy || !selectedDataset}
            onClick={() =>
              void work('Loading the hosted model', async ({ call }) => {
                const files = await fetchHostedModel(hostedModelUrl(hosted));
                const r = await call('importModel', { datasetId: selectedDataset, ...files });
                await refreshLists();
                setHosted(null);
                setNote(
                  `Loaded ${hosted}: ${r.layers} layers, ${r.params} parameters. It is now a model on See and Fool.`,
                );
              })
            }
          >
            Load model
          </button>{' '}
          <button onClick={() => setHosted(null)}>Don't load</button>
          {!selectedDataset && (
            <p>Create or open a dataset first (the demo works): the model needs faces to look at.</p>
          )}
        </section>
      )}
      <section className="card" aria-label="Demo link">
        <h3>Demo link</h3>
        <p>
          Anyone who opens <code>{demoLink}</code> gets the synthetic lookalikes and a pretrained model, ready to fool,
          in seconds.
        </p>
        <button onClick={() => void copyText(demoLink, 'Demo link')}>Copy demo link</button>
      </section>
      <section className="card" aria-label="Export a model">
        <h3>Export a model</h3>
        {runs.length === 0 ? (
          <NoModelYet inline page="share" why="then export it here for Keras or another browser" />
        ) : (
          <>
            <RunPicker runs={runs} value={selectedRun} onChange={setRunId} />{' '}
            <button
              disabled={busy}
              onClick={() =>
                void work('Exporting the model', async ({ call }) => {
                  const out = await call('exportModel', { runId: selectedRun });
                  downloadBytes(new TextEncoder().encode(out.modelJson), 'model.json', 'application/json');
                  downloadBytes(out.weights, 'weights.bin');
                  showToast(
                    `Exported model.json and weights.bin (${out.weights.length} bytes). Convert to Keras: see the README.`,
                  );
                })
              }
            >
              Export model
            </button>{' '}
            {(['keras', 'h5'] as const).map((format) => (
              <button
                key={format}
                disabled={busy}
                onClick={() =>
                  void work(`Saving model.${format}`, async ({ call }) => {
                    const { bytes } = await call('exportKerasModel', { runId: selectedRun, format });
                    downloadBytes(bytes, `model.${format}`);
                    showToast(
                      `Saved model.${format} (${bytes.length} bytes): open it in Keras with keras.models.load_model("model.${format}").`,
                    );
                  })
                }
              >
                Save as .{format}
              </button>
            ))}
          </>
        )}
      </section>
      <section className="card" aria-label="Import a model">
        <h3>Import a model</h3>
        <p>
          A Keras model (<code>.keras</code> or <code>.h5</code>) made of Conv2D, Dense, BatchNormalization, Dropout,
          Flatten, MaxPooling2D, Activation, ReLU, Softmax and Rescaling layers, with any RGB input size (the faces are
          resized to it); or a TensorFlow.js layers model (model.json and its .bin files) with a 64×64×3 input. One
          output per person of the dataset. It is checked before use; a bad file changes nothing.
        </p>
        <label>
          Dataset{' '}
          <select value={selectedDataset} onChange={(e) => setDatasetId(e.target.value)}>
            {complete.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          Model files{' '}
          <input
            type="file"
            multiple
            accept=".keras,.h5,.json,.bin"
            onChange={(e) => setFiles(Array.from(e.target.files ?? []))}
          />
        </label>{' '}
        <button
          disabled={busy || files.length === 0 || !selectedDataset}
          onClick={() =>
            void work('Importing the model', async ({ call }) => {
              const keras = kerasFileOf(files);
              if (keras) {
                const bytes = new Uint8Array(await keras.arrayBuffer());
                const r = await call('importKerasModel', { datasetId: selectedDataset, name: keras.name, bytes });
                await refreshLists();
                const [h, w] = r.inputShape;
                const input =
                  h === 64 && w === 64 ? 'input 64×64×3' : `input ${h}×${w}×3 (the 64×64 faces are resized to it)`;
                setNote(
                  `Imported ${keras.name}: ${r.layers} layers, ${r.params} parameters, ${input}. It is now a model on See and Fool.`,
                );
                return;
              }
              const sel = await readModelSelection(files);
              const r = await call('importModel', { datasetId: selectedDataset, ...sel });
              await refreshLists();
              setNote(
                `Imported ${sel.name}: ${r.layers} layers, ${r.params} parameters. It is now a model on See and Fool.`,
              );
            })
          }
        >
          Import model
        </button>
      </section>
      <ReportSection />
      {busy && <p role="status">Working…</p>}
      {note && <p role="status">{note}</p>}
      {error && <p role="alert">{error}</p>}
    </div>
  );
}
