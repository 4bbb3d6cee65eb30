/** Hyperparameters, with the paper's preset beside the fast default. */
import { setConfig } from '../../../store/actions';
import { useLab } from '../../../store/labStore';
import { PresetFitLine, type PresetFit } from './PresetFit';
import { CLASS_WEIGHTINGS, CLASS_WEIGHTING_LABELS, type ClassWeighting } from '../shared/classWeights';
import {
  ARCHITECTURES,
  ARCHITECTURE_LABELS,
  DEFAULT_ADVERSARIAL,
  DEFAULT_CONFIG,
  DEFAULT_MIN_STEPS,
  OPTIMIZERS,
  PAPER_CONFIG,
  type TrainingConfig,
} from '../../../shared/trainingConfig';

function NumberField(props: {
  label: string;
  value: number;
  min?: number;
  max?: number;
  step?: number | 'any';
  onChange: (v: number) => void;
  disabled?: boolean;
}) {
  return (
    <label>
      {props.label}
      <input
        type="number"
        value={props.value}
        min={props.min}
        max={props.max}
        step={props.step ?? 1}
        disabled={props.disabled}
        onChange={(e) => {
          const v = Number(e.target.value);
          if (Number.isFinite(v)) props.onChange(v);
        }}
      />
    </label>
  );
}

export function ConfigForm({ disabled, fit }: { disabled: boolean; fit: PresetFit | null }) {
  const config = useLab((s) => s.config);
  const set = (patch: Partial<TrainingConfig>) => setConfig(patch);
  return (
    <fieldset className="card form" disabled={disabled}>
      <legend>Hyperparameters</legend>
      <div className="presets">
        <button type="button" onClick={() => set({ ...DEFAULT_CONFIG, adversarial: undefined })}>
          Default settings
        </button>
        <button type="button" onClick={() => set({ ...PAPER_CONFIG, adversarial: undefined })}>
          Paper settings
        </button>
      </div>
      <label>
        Architecture
        <select
          value={config.architecture}
          onChange={(e) => set({ architecture: e.target.value as TrainingConfig['architecture'] })}
        >
          {ARCHITECTURES.map((a) => (
            <option key={a} value={a}>
              {ARCHITECTURE_LABELS[a]}
            </option>
          ))}
        </select>
      </label>
      <PresetFitLine fit={fit} />
      {/* Typing a number of epochs means exactly that many: it switches the small-set recipe off. */}
      <NumberField
        label="Epochs"
        value={config.epochs}
        min={1}
        max={1000}
        onChange={(epochs) => set({ epochs, autoEpochs: false })}
      />
      <label className="check">
        <input type="checkbox" checked={!!config.autoEpochs} onChange={(e) => set({ autoEpochs: e.target.checked })} />{' '}
        More epochs for small datasets (at least {config.minSteps ?? DEFAULT_MIN_STEPS} optimizer steps, balanced
        batches)
      </label>
      <NumberField
        label="Batch size"
        value={config.batchSize}
        min={1}
        max={1024}
        onChange={(batchSize) => set({ batchSize })}
      />
      <NumberField
        label="Learning rate"
        value={config.learningRate}
        min={0}
        step="any"
        onChange={(learningRate) => set({ learningRate })}
      />
      <label>
        Optimizer
        <select
          value={config.optimizer}
          onChange={(e) => set({ optimizer: e.target.value as TrainingConfig['optimizer'] })}
        >
          {OPTIMIZERS.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      </label>
      <NumberField
        label="Dropout"
        value={config.dropout}
        min={0}
        max={0.9}
        step={0.05}
        onChange={(dropout) => set({ dropout })}
      />
      <NumberField
        label="Batch-norm layers"
        value={config.batchNormLayers}
        min={0}
        max={2}
        disabled={config.architecture.startsWith('vgg')}
        onChange={(batchNormLayers) => set({ batchNormLayers })}
      />
      <NumberField
        label="Width multiplier"
        value={config.widthMultiplier}
        min={0.125}
        max={4}
        step={0.125}
        disabled={config.architecture !== 'compact'}
        onChange={(widthMultiplier) => set({ widthMultiplier })}
      />
      <label>
        Class weights
        <select
          value={config.classWeighting ?? 'none'}
          onChange={(e) => set({ classWeighting: e.target.value as ClassWeighting })}
        >
          {CLASS_WEIGHTINGS.map((w) => (
            <option key={w} value={w}>
              {CLASS_WEIGHTING_LABELS[w]}
            </option>
          ))}
        </select>
      </label>
      <NumberField label="Seed" value={config.seed} min={0} onChange={(seed) => set({ seed })} />
      <label className="check">
        <input type="checkbox" checked={config.augment} onChange={(e) => set({ augment: e.target.checked })} /> Augment
        (±5° rotation, mirror)
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={!!config.adversarial}
          onChange={(e) => set({ adversarial: e.target.checked ? { ...DEFAULT_ADVERSARIAL } : undefined })}
        />{' '}
        Adversarial training (PGD examples mixed into every batch)
      </label>
      {config.adversarial && (
        <>
          <NumberField
            label="PGD ε (levels)"
            value={config.adversarial.epsilon}
            min={0}
            max={64}
            onChange={(epsilon) => set({ adversarial: { ...config.adversarial!, epsilon } })}
          />
          <NumberField
            label="Adversarial share of each batch"
            value={config.adversarial.ratio}
            min={0}
            max={1}
            step={0.1}
            onChange={(ratio) => set({ adversarial: { ...config.adversarial!, ratio } })}
          />
          <NumberField
            label="PGD steps"
            value={config.adversarial.steps}
            min={1}
            max={20}
            onChange={(steps) => set({ adversarial: { ...config.adversarial!, steps } })}
          />
          <NumberField
            label="PGD step size (levels)"
            value={config.adversarial.stepSize}
            min={0.25}
            max={64}
            step={0.25}
            onChange={(stepSize) => set({ adversarial: { ...config.adversarial!, stepSize } })}
          />
        </>
      )}
      {config.batchSize === 1 && config.batchNormLayers > 0 && !config.architecture.startsWith('vgg') && (
        <p role="note">
          Batch size 1 with batch norm: a batch of one normalises to zero, so only the layers after the batch norm
          learn.
        </p>
      )}
    </fieldset>
  );
}
