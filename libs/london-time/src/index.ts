export * from './london-time';
