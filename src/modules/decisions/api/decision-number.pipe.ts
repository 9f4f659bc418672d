import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { ValidationFailedException } from '../../../platform/errors/app-exception';

/** A decision's number in an address, "016-2020": anything else is a 400 naming the parameter, never a lookup. */
@Injectable()
export class DecisionNumberPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    const field = metadata.data ?? 'number';
    if (typeof value !== 'string' || !/^\d{3}-\d{4}$/.test(value))
      throw new ValidationFailedException([{ field, rule: 'decisionNumber', message: `${field} must be a decision number, like 016-2020` }]);
    return value;
  }
}
