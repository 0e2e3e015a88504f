-- The rest of the identity manager's ErrorType enum (seed 002 lists six of its 22 values), so that
-- exports and imports are classified as it classifies them rather than all as UnhandledError.
-- Appended: existing values keep their stored order. A value added here cannot be used in the same
-- transaction, so nothing else is in this migration.
ALTER TYPE "ExecutionErrorType" ADD VALUE 'CouldNotJoinDueToExistingJoin';
ALTER TYPE "ExecutionErrorType" ADD VALUE 'DuplicateImportedAttributes';
ALTER TYPE "ExecutionErrorType" ADD VALUE 'UnexpectedAttribute';
ALTER TYPE "ExecutionErrorType" ADD VALUE 'UnsupportedExternalIdAttributeType';
ALTER TYPE "ExecutionErrorType" ADD VALUE 'ExportNotConfirmed';
ALTER TYPE "ExecutionErrorType" ADD VALUE 'ExportConfirmationFailed';
ALTER TYPE "ExecutionErrorType" ADD VALUE 'CsoCreationFailed';
ALTER TYPE "ExecutionErrorType" ADD VALUE 'InvalidGeneratedExternalId';
ALTER TYPE "ExecutionErrorType" ADD VALUE 'ExpressionEvaluationError';
ALTER TYPE "ExecutionErrorType" ADD VALUE 'ExpressionMissingInput';
ALTER TYPE "ExecutionErrorType" ADD VALUE 'MultiValuedToSingleValued';
ALTER TYPE "ExecutionErrorType" ADD VALUE 'DeltaImportFallbackToFullImport';
ALTER TYPE "ExecutionErrorType" ADD VALUE 'ImportHashVerificationFailed';
ALTER TYPE "ExecutionErrorType" ADD VALUE 'ImportAttributeValueError';
ALTER TYPE "ExecutionErrorType" ADD VALUE 'ConnectorConfigurationError';
ALTER TYPE "ExecutionErrorType" ADD VALUE 'CouldNotExportDueToExistingConnectedSystemObject';
