import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/** The applicant's pages: task list, question pages, uploads, check answers, submit, withdraw. */
@ApiExcludeController()
@Controller()
export class ApplicationPagesController {}
