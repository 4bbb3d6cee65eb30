export function ProgressBar(props: { done: number; total: number; label: string }) {
  const pct = props.total > 0 ? Math.round((100 * props.done) / props.total) : 0;
  return (
    <div className="progress">
      <progress value={props.done} max={props.total || 1} aria-label={props.label} />
      <span>
        {props.label}: {props.done} / {props.total} ({pct} %)
      </span>
    </div>
  );
}
