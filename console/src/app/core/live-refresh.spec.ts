import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { liveRefresh } from './live-refresh';

@Component({ selector: 'app-live-host', template: '' })
class HostComponent {
  static reads = 0;
  static release: (() => void) | null = null;
  constructor() {
    liveRefresh(1000, () => {
      HostComponent.reads++;
      return new Promise<void>((resolve) => (HostComponent.release = resolve));
    });
  }
}

describe('liveRefresh', () => {
  beforeEach(() => {
    HostComponent.reads = 0;
    HostComponent.release = null;
    jasmine.clock().install();
  });
  afterEach(() => jasmine.clock().uninstall());

  // The clock is jasmine's; a read's answer is a promise, so a microtask turn lets it land.
  const microtasks = async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  const tick = async (ms: number) => {
    await microtasks();
    jasmine.clock().tick(ms);
    await microtasks();
  };

  it('reads again every period, never while the last read is running, and stops with the view', async () => {
    const fixture = TestBed.createComponent(HostComponent);
    await tick(999);
    expect(HostComponent.reads).toBe(0);
    await tick(1);
    expect(HostComponent.reads).toBe(1);
    await tick(3000); // the first read has not answered: no second one
    expect(HostComponent.reads).toBe(1);
    HostComponent.release!();
    await tick(1000);
    expect(HostComponent.reads).toBe(2);
    HostComponent.release!();
    fixture.destroy();
    await tick(5000);
    expect(HostComponent.reads).toBe(2);
  });
});
