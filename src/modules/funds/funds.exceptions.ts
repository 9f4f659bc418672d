import { HttpStatus } from '@nestjs/common';
import { AppException } from '../../platform/errors/app-exception';

export class FundsException extends AppException {
  static programmeExists(field: 'code' | 'name') {
    return new FundsException('funds.programme_exists', `A fund programme with that ${field} already exists`, HttpStatus.CONFLICT, [
      { field, rule: 'unique', message: `A fund programme with that ${field} already exists` },
    ]);
  }
}
