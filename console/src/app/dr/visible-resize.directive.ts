import { DestroyRef, Directive, ElementRef, inject } from '@angular/core';
import type { ECharts } from 'echarts/core';
import { NgxEchartsDirective } from 'ngx-echarts';

/**
 * Resizes a chart with its element, but never to nothing: ECharts 6.1 throws on a graph series laid out in a
 * 0×0 box (apache/echarts#21706: the view's transform cannot be inverted), which is what a chart in a tab that
 * is not shown measures. Use instead of `[autoResize]` (set it to false) on graph charts.
 */
@Directive({ selector: '[echarts][appVisibleResize]' })
export class VisibleResizeDirective {
  constructor() {
    const el = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
    let chart: ECharts | null = null;
    const init = inject(NgxEchartsDirective).chartInit.subscribe((c: ECharts) => (chart = c));
    const observer = new ResizeObserver(() => {
      if (chart && el.clientWidth > 0 && el.clientHeight > 0) chart.resize();
    });
    observer.observe(el);
    inject(DestroyRef).onDestroy(() => {
      observer.disconnect();
      init.unsubscribe();
    });
  }
}
