// A windowed list: fixed row height, only the rows in view (plus a margin) are in the DOM.
import { Fragment, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { CSSProperties, ReactNode } from 'react';

/** Props of VirtualList. */
export interface VirtualListProps<T> {
  /** The rows; or give `count` and `itemAt`, so that only the rows drawn are ever made. */
  readonly items?: readonly T[];
  readonly count?: number;
  readonly itemAt?: (index: number) => T;
  /** Pixels; every row has this height. */
  readonly rowHeight: number;
  readonly itemKey: (item: T, index: number) => string;
  /** Draws one row; `style` places it (absolute top and height) and must be applied (the same object for the same index and height, so rows can be memoised). */
  readonly renderRow: (item: T, index: number, style: CSSProperties) => ReactNode;
  /** Extra rows drawn above and below the viewport. */
  readonly overscan?: number;
  /** Viewport height used until it can be measured (jsdom measures 0). */
  readonly fallbackHeight?: number;
  readonly className?: string;
  readonly role?: string;
  readonly ariaLabel?: string;
  readonly testId?: string;
  /** Scrolls so this row is near the top; a new `seq` scrolls again to the same index. */
  readonly scrollTo?: { readonly index: number; readonly seq: number } | null;
  /** When this changes (a new filter), the list scrolls back to the top. */
  readonly resetKey?: string;
  /** Told the index range [start, end) drawn, whenever it changes (what is on screen). */
  readonly onRange?: (start: number, end: number) => void;
}

/** The index range [start, end) of rows to draw for a scroll position (pure). */
export function windowRange(count: number, rowHeight: number, scrollTop: number, viewport: number, overscan: number): [number, number] {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const visible = Math.ceil(viewport / rowHeight) + 1;
  return [Math.max(0, first - overscan), Math.min(count, first + visible + overscan)];
}

/** A scrolling list that renders only the rows in view: smooth with 10,000 processes. */
export function VirtualList<T>(props: VirtualListProps<T>): ReactNode {
  const { items, rowHeight, overscan = 8, fallbackHeight = 600 } = props;
  const count = props.count ?? items?.length ?? 0;
  // One style object per row index (for this row height): a memoised row sees the same props.
  const styles = useMemo(() => new Map<number, CSSProperties>(), [rowHeight]);
  const ref = useRef<HTMLDivElement | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(fallbackHeight);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const measure = (): void => {
      if (el.clientHeight > 0) setHeight(el.clientHeight);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return undefined;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.scrollTop = 0;
    setScrollTop(0);
  }, [props.resetKey]);

  // Scroll only when asked again (a new seq), not each time the rows change under the same request.
  const targetIndex = props.scrollTo?.index ?? -1;
  const targetSeq = props.scrollTo?.seq ?? 0;
  const indexRef = useRef(targetIndex);
  indexRef.current = targetIndex;
  useEffect(() => {
    const el = ref.current;
    const index = indexRef.current;
    if (!el || targetSeq === 0 || index < 0) return;
    const top = Math.max(0, (index - 2) * rowHeight);
    el.scrollTop = top;
    setScrollTop(top);
  }, [targetSeq, rowHeight]);

  const [start, end] = windowRange(count, rowHeight, scrollTop, height, overscan);
  const onRange = props.onRange;
  useEffect(() => {
    onRange?.(start, end);
  }, [onRange, start, end]);
  if (styles.size > 4 * (end - start) + 256) styles.clear();
  const rows: ReactNode[] = [];
  for (let i = start; i < end; i++) {
    const item = props.itemAt ? props.itemAt(i) : items?.[i];
    if (item === undefined) continue;
    let style = styles.get(i);
    if (!style) {
      style = { position: 'absolute', top: i * rowHeight, height: rowHeight, left: 0, right: 0 };
      styles.set(i, style);
    }
    rows.push(<Fragment key={props.itemKey(item, i)}>{props.renderRow(item, i, style)}</Fragment>);
  }
  return (
    <div
      ref={ref}
      className={`vlist ${props.className ?? ''}`}
      role={props.role}
      aria-label={props.ariaLabel}
      data-testid={props.testId}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
    >
      <div className="vlist-inner" style={{ height: count * rowHeight }}>
        {rows}
      </div>
    </div>
  );
}
