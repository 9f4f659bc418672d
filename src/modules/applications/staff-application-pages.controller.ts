import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/** Staff pages: applications by round with filters and CSV export, screening, extensions. */
@ApiExcludeController()
@Controller()
export class StaffApplicationPagesController {}
