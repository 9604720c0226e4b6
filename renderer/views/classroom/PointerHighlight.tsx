// Classroom mode: a large translucent circle following the mouse, so a room can follow the teacher's pointer.
import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';

/** Diameter of the circle in CSS pixels. */
export const POINTER_DIAMETER = 84;

/** The circle (data-testid pointer-highlight); moves without re-rendering React, never takes a click. */
export function PointerHighlight(): ReactNode {
  const ref = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    let frame = 0;
    let x = 0;
    let y = 0;
    const paint = (): void => {
      frame = 0;
      el.style.transform = `translate(${x - POINTER_DIAMETER / 2}px, ${y - POINTER_DIAMETER / 2}px)`;
      el.style.opacity = '1';
    };
    const onMove = (e: MouseEvent): void => {
      x = e.clientX;
      y = e.clientY;
      if (frame === 0) frame = requestAnimationFrame(paint);
    };
    const onLeave = (): void => {
      el.style.opacity = '0';
    };
    window.addEventListener('mousemove', onMove, { passive: true });
    document.documentElement.addEventListener('mouseleave', onLeave);
    return () => {
      if (frame !== 0) cancelAnimationFrame(frame);
      window.removeEventListener('mousemove', onMove);
      document.documentElement.removeEventListener('mouseleave', onLeave);
    };
  }, []);
  return <div ref={ref} className="pointer-highlight" aria-hidden="true" data-testid="pointer-highlight" style={{ width: POINTER_DIAMETER, height: POINTER_DIAMETER, opacity: 0 }} />;
}
