import { Directive, ElementRef, afterEveryRender, inject, input } from '@angular/core';

/**
 * `<nz-tree [appInnerInputLabel]="'…' | t">`: names the first <input> inside a third-party component that offers
 * no way to label it (nz-tree renders a hidden keyboard input of its own, which axe-core reports as an
 * unlabelled field). Set after every render, so it follows a language switch and an input rendered late.
 * For nz-select use a <label for> and nzId instead: that is a real label.
 */
@Directive({ selector: '[appInnerInputLabel]' })
export class InnerInputLabelDirective {
  readonly appInnerInputLabel = input.required<string>();
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);

  constructor() {
    afterEveryRender(() => {
      const field = this.host.nativeElement.querySelector('input');
      const label = this.appInnerInputLabel();
      if (field && field.getAttribute('aria-label') !== label) field.setAttribute('aria-label', label);
    });
  }
}
