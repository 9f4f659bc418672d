export * from './data-cipher';
