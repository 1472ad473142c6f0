import { Injectable } from '@nestjs/common';

/**
 * Says when the application has booted: the plugin host completes it once the boot plugins
 * have started. Work that must not outlive a failed boot (a boot that fails is never closed, so
 * nothing would stop it) waits for it, such as the shared-data purge timer.
 */
@Injectable()
export class ApplicationBoot {
  private readonly waiting: (() => void)[] = [];
  private booted = false;

  /** Runs `listener` once the application has booted, at once if it has. */
  whenBooted(listener: () => void): void {
    if (this.booted) listener();
    else this.waiting.push(listener);
  }

  completed(): void {
    this.booted = true;
    for (const listener of this.waiting.splice(0)) listener();
  }
}
