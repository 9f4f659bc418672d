import type { FormDefinition } from './form-definition';

/**
 * The form a new round starts with: the questions the Victims Fund asks (project, funding, the
 * victims helped, a safeguarding policy). Staff edit it on the round page before the round opens;
 * starting from a working form is quicker and safer than from a blank one. The areas question
 * offers the areas the Commissioner covers, so they are passed in.
 */
export function starterApplicationForm(areas: { onsCode: string; name: string }[]): FormDefinition {
  const areaOptions = areas.map((a) => ({ value: a.onsCode, text: a.name }));
  return {
    sections: [
      {
        id: 'project',
        title: 'About your project',
        questions: [
          { id: 'projectTitle', type: 'short_text', label: 'Project title', required: true, maxLength: 120 },
          {
            id: 'projectSummary',
            type: 'long_text',
            label: 'Describe your project',
            hint: 'What you will do, for whom, and where',
            required: true,
            wordLimit: 250,
          },
          { id: 'category', type: 'single_choice', label: 'Which victims will the project support?', required: true },
          { id: 'areasServed', type: 'multiple_choice', label: 'Which areas will the project work in?', required: true, options: areaOptions },
        ],
      },
      {
        id: 'funding',
        title: 'Funding',
        questions: [
          { id: 'amountRequested', type: 'money', label: 'How much are you applying for?', hint: 'In pounds', required: true },
          { id: 'projectStart', type: 'date', label: 'When will the project start?', required: true },
          {
            id: 'budget',
            type: 'long_text',
            label: 'How will you spend the grant?',
            hint: 'Give the main costs, such as staff, venue hire and materials',
            required: true,
            wordLimit: 300,
          },
          { id: 'otherFunding', type: 'yes_no', label: 'Have you applied to other funders for this project?', required: true },
        ],
      },
      {
        id: 'victims',
        title: 'Helping victims',
        questions: [
          { id: 'victimsSupported', type: 'number', label: 'How many victims will the project support?', required: true, min: 1, max: 100000 },
          { id: 'outcomes', type: 'long_text', label: 'How will victims cope and recover better because of your project?', required: true, wordLimit: 300 },
          { id: 'deliveryAddress', type: 'address', label: 'Where will the project mainly take place? (optional)', required: false },
        ],
      },
      {
        id: 'documents',
        title: 'Documents',
        questions: [
          { id: 'safeguardingPolicy', type: 'file', label: 'Your safeguarding policy', hint: 'PDF, Word, Excel, PNG or JPEG, up to 10 MB', required: true },
        ],
      },
    ],
  };
}
