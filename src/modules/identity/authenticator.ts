import { Injectable } from '@nestjs/common';
import passport from 'passport';

/**
 * This application's own passport instance. passport's default export is a process-wide
 * singleton, which would let two app instances in one process (as in the tests) share strategies
 * and deserialisers bound to the wrong database.
 */
@Injectable()
export class Authenticator {
  readonly passport = new passport.Passport();
}
