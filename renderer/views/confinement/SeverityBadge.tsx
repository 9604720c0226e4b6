// A finding's severity, told three ways so colour is never the only cue: a colour, a shape and a word.
import type { ReactNode } from 'react';
import type { Severity } from '../../../shared/confinement';

/** The shape of each severity: octagon (stop), triangle (warning), diamond, circle, "i" (information). */
export const SEVERITY_SHAPE: Readonly<Record<Severity, string>> = {
  critical: 'octagon',
  high: 'triangle',
  medium: 'diamond',
  low: 'circle',
  info: 'info',
};

/** The severity's icon: an inline SVG shape (no font needed), hidden from screen readers (the word says it). */
export function SeverityIcon({ severity, size = 14 }: { readonly severity: Severity; readonly size?: number }): ReactNode {
  const common = { width: size, height: size, viewBox: '0 0 16 16', 'aria-hidden': true, className: `sev-icon sev-icon-${severity}`, focusable: false } as const;
  switch (severity) {
    case 'critical':
      return (
        <svg {...common}>
          <polygon points="5,1 11,1 15,5 15,11 11,15 5,15 1,11 1,5" fill="currentColor" />
          <rect x="7" y="4" width="2" height="5.5" fill="#fff" />
          <rect x="7" y="11" width="2" height="2" fill="#fff" />
        </svg>
      );
    case 'high':
      return (
        <svg {...common}>
          <polygon points="8,1 15.5,15 0.5,15" fill="currentColor" />
          <rect x="7" y="5.5" width="2" height="5" fill="#fff" />
          <rect x="7" y="11.8" width="2" height="2" fill="#fff" />
        </svg>
      );
    case 'medium':
      return (
        <svg {...common}>
          <polygon points="8,0.5 15.5,8 8,15.5 0.5,8" fill="currentColor" />
        </svg>
      );
    case 'low':
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="6" fill="currentColor" />
        </svg>
      );
    case 'info':
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
          <rect x="7.1" y="7" width="1.8" height="5" fill="currentColor" />
          <rect x="7.1" y="4" width="1.8" height="1.8" fill="currentColor" />
        </svg>
      );
  }
}

/** A coloured badge with the severity's icon and name. */
export function SeverityBadge({ severity, count }: { readonly severity: Severity; readonly count?: number }): ReactNode {
  return (
    <span className={`sev sev-${severity}`} data-severity={severity}>
      <SeverityIcon severity={severity} />
      {count !== undefined ? `${count} ${severity}` : severity}
    </span>
  );
}
