/** The empty state of every page that needs a trained model (See, Fool, Survey, Share): train one, or open the demo's. */
import { openDemo } from '../store/actions';
import { useLab } from '../store/labStore';
import { NextStep } from './NextStep';

/** `page`: where the demo leaves the user once installed (this page); `why`: what this page will do with a model. */
export function NoModelYet({ page, why, inline }: { page: string; why: string; inline?: boolean }) {
  const demo = useLab((s) => s.demo);
  return (
    <NextStep
      title="No trained model yet"
      inline={inline}
      actions={[
        { label: 'Go to Train', go: 'train' },
        {
          label: demo.status === 'installing' ? 'Installing the demo…' : 'Open the demo model',
          go: () => void openDemo(page),
          disabled: demo.status === 'installing',
        },
      ]}
    >
      <p>
        Train one on the Train page ({why}), or open the demo: synthetic lookalikes and a compact model already trained
        on them.
      </p>
      {demo.error && <p role="alert">{demo.error}</p>}
    </NextStep>
  );
}
