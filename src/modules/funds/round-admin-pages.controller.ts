import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/** Fund managers' pages for creating, editing and publishing rounds. */
@ApiExcludeController()
@Controller()
export class RoundAdminPagesController {}
