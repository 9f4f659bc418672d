import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { ValidationFailedException } from '../errors/app-exception';

/**
 * Canonical 8-4-4-4-12 hexadecimal form. PostgreSQL also accepts braces, missing hyphens and
 * upper case, but ids we hand out are always this shape, so anything else is a client mistake.
 * (The old check, /^[0-9a-f-]{36}$/, let 36 hyphens through to the database, which answered 500.)
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/**
 * Every `:id` (and `:roundId`, `:attachmentId` …) in a route goes through this pipe:
 * `@Param('id', IdPipe) id: string`. A malformed id is a 400 naming the parameter, never a
 * database error. Lower-cased so that one record has one URL.
 */
@Injectable()
export class IdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    const field = metadata.data ?? 'id';
    if (!isUuid(value)) {
      throw new ValidationFailedException([{ field, rule: 'isUuid', message: `${field} must be a UUID, like 3f2b8c4e-1d2a-4b6c-9e8f-0a1b2c3d4e5f` }]);
    }
    return value.toLowerCase();
  }
}
