/** The attack settings, with the paper's rule as the default and every number editable. */
import type { AttackName, AttackSettings } from '../shared/attackSettings';
import { readsSetting } from '../shared/attackKinds';
import { ATTACKS, ATTACK_LABELS, DEFAULT_ATTACK } from '../shared/attackSettings';

function NumberField(props: {
  label: string;
  value: number;
  step: number;
  min: number;
  max?: number;
  onChange: (v: number) => void;
}) {
  return (
    <label>
      {props.label}{' '}
      <input
        type="number"
        value={props.value}
        step={props.step}
        min={props.min}
        max={props.max}
        onChange={(e) => {
          const v = Number(e.target.value);
          if (Number.isFinite(v)) props.onChange(v);
        }}
      />
    </label>
  );
}

export function AttackForm({ value, onChange }: { value: AttackSettings; onChange: (v: AttackSettings) => void }) {
  const set = (patch: Partial<AttackSettings>) => onChange({ ...value, ...patch });
  // Which fields apply is the attack table's (src/features/fool/shared/attackKinds.ts): a field shows when the attack reads it.
  const reads = (key: keyof AttackSettings) => readsSetting(value, key);
  return (
    <fieldset className="controls">
      <legend>Attack</legend>
      <label>
        Attack{' '}
        <select value={value.attack} onChange={(e) => set({ attack: e.target.value as AttackName })}>
          {ATTACKS.map((a) => (
            <option key={a} value={a}>
              {ATTACK_LABELS[a]}
            </option>
          ))}
        </select>
      </label>
      {reads('rule') && (
        <label>
          Bound{' '}
          <select value={value.rule} onChange={(e) => set({ rule: e.target.value as AttackSettings['rule'] })}>
            <option value="relative">% of each pixel's own value (paper, literal)</option>
            <option value="range">% of the full range (±6.4 levels at 2.5 %)</option>
          </select>
        </label>
      )}
      {reads('fraction') && (
        <NumberField
          label="Max change (%)"
          value={+(value.fraction * 100).toFixed(4)}
          step={0.5}
          min={0}
          max={100}
          onChange={(v) => set({ fraction: v / 100 })}
        />
      )}
      {reads('stopConfidence') && (
        <NumberField
          label="Stop at target confidence (%)"
          value={+(value.stopConfidence * 100).toFixed(2)}
          step={1}
          min={1}
          max={100}
          onChange={(v) => set({ stopConfidence: v / 100 })}
        />
      )}
      {reads('epsilon') && (
        <NumberField
          label="ε (levels)"
          value={value.epsilon}
          step={1}
          min={0}
          max={255}
          onChange={(v) => set({ epsilon: v })}
        />
      )}
      {reads('targeted') && (
        <label>
          <input type="checkbox" checked={value.targeted} onChange={(e) => set({ targeted: e.target.checked })} />{' '}
          Targeted (aim at the other class)
        </label>
      )}
      {reads('update') && (
        <label>
          Step direction{' '}
          <select
            value={value.update ?? DEFAULT_ATTACK.update}
            onChange={(e) => set({ update: e.target.value as AttackSettings['update'] })}
          >
            <option value="sign">sign of the gradient (FGSM / PGD steps)</option>
            <option value="gradient">
              plain gradient ascent (the paper's words: ∇ scaled so its largest pixel step is the step size)
            </option>
          </select>
        </label>
      )}
      {reads('stepSize') && (
        <NumberField
          label="Step size (levels)"
          value={value.stepSize}
          step={0.25}
          min={0.01}
          onChange={(v) => set({ stepSize: v })}
        />
      )}
      {reads('schedule') && (
        <label>
          Step size schedule{' '}
          <select
            value={value.schedule ?? DEFAULT_ATTACK.schedule}
            onChange={(e) => set({ schedule: e.target.value as AttackSettings['schedule'] })}
          >
            <option value="decay">decaying (halved at 40, 60, 80, 90 % of the step limit)</option>
            <option value="fixed">fixed</option>
          </select>
        </label>
      )}
      {reads('maxSteps') && (
        <NumberField
          label="Step limit"
          value={value.maxSteps}
          step={10}
          min={1}
          max={5000}
          onChange={(v) => set({ maxSteps: Math.round(v) })}
        />
      )}
      {reads('quantised') && (
        <label>
          <input type="checkbox" checked={value.quantised} onChange={(e) => set({ quantised: e.target.checked })} />{' '}
          Attack the saved 8-bit image
        </label>
      )}
      {reads('seed') && (
        <NumberField
          label="Random start seed"
          value={value.seed}
          step={1}
          min={0}
          onChange={(v) => set({ seed: Math.round(v) })}
        />
      )}
    </fieldset>
  );
}
