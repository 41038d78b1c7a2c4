namespace OneShotGee.Dapr;

/// <summary>The Dapr output bindings an artifact store can sit on; they name the object key differently.</summary>
public enum StorageBindingType { LocalStorage, AwsS3, AzureBlobStorage }

public static class StorageBindingTypes
{
    /// <summary>
    /// The request metadata key holding the object name, per the components' docs:
    /// bindings.localstorage <c>fileName</c>, bindings.aws.s3 <c>key</c>, bindings.azure.blobstorage <c>blobName</c>.
    /// </summary>
    public static string KeyMetadata(this StorageBindingType type) => type switch
    {
        StorageBindingType.LocalStorage => "fileName",
        StorageBindingType.AwsS3 => "key",
        StorageBindingType.AzureBlobStorage => "blobName",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
