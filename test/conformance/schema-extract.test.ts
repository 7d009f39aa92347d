import { readFileSync } from "node:fs";
import path from "node:path";
import { extractRewindCsdl } from "../../scripts/graph-schema/filter";

/** A tiny CSDL shaped like Graph's: what Rewind touches, and things it does not. */
const SYNTHETIC = `<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EnumType Name="colour"><Member Name="red" Value="0" /></EnumType>
      <EnumType Name="unusedEnum"><Member Name="x" Value="0" /></EnumType>
      <ComplexType Name="assignedLicense"><Property Name="skuId" Type="Edm.Guid" /><Property Name="colour" Type="graph.colour" /></ComplexType>
      <ComplexType Name="specialLicense" BaseType="graph.assignedLicense"><Property Name="extra" Type="Edm.String" /></ComplexType>
      <ComplexType Name="unusedComplex"><Property Name="a" Type="Edm.String" /></ComplexType>
      <EntityType Name="entity" Abstract="true"><Key><PropertyRef Name="id" /></Key><Property Name="id" Type="Edm.String" Nullable="false" /></EntityType>
      <EntityType Name="directoryObject" BaseType="graph.entity" OpenType="true"><Property Name="deletedDateTime" Type="Edm.DateTimeOffset" /></EntityType>
      <EntityType Name="user" BaseType="graph.directoryObject" OpenType="true">
        <Property Name="assignedLicenses" Type="Collection(graph.assignedLicense)" Nullable="false" />
        <Property Name="createdDateTime" Type="Edm.DateTimeOffset" />
        <NavigationProperty Name="manager" Type="graph.directoryObject" />
        <NavigationProperty Name="drive" Type="graph.drive" ContainsTarget="true" />
      </EntityType>
      <EntityType Name="group" BaseType="graph.directoryObject" OpenType="true"><Property Name="displayName" Type="Edm.String" /></EntityType>
      <EntityType Name="drive" BaseType="graph.entity"><Property Name="quota" Type="graph.unusedComplex" /></EntityType>
      <Function Name="delta" IsBound="true"><Parameter Name="bindingParameter" Type="Collection(graph.user)" /><ReturnType Type="Collection(graph.user)" /></Function>
      <Function Name="delta" IsBound="true"><Parameter Name="bindingParameter" Type="graph.drive" /><ReturnType Type="Collection(graph.drive)" /></Function>
      <Action Name="wipe" IsBound="true"><Parameter Name="bindingParameter" Type="graph.user" /></Action>
      <EntityContainer Name="GraphService">
        <EntitySet Name="users" EntityType="microsoft.graph.user">
          <NavigationPropertyBinding Path="manager" Target="directoryObjects" />
          <NavigationPropertyBinding Path="drive" Target="drives" />
        </EntitySet>
        <EntitySet Name="directoryObjects" EntityType="microsoft.graph.directoryObject" />
        <EntitySet Name="drives" EntityType="microsoft.graph.drive" />
      </EntityContainer>
      <Annotations Target="microsoft.graph.user/createdDateTime">
        <Annotation Term="Org.OData.Core.V1.Description" String="When it was made &amp; by whom." />
        <Annotation Term="Org.OData.Core.V1.Computed" Bool="true" />
        <Annotation Term="Org.OData.Core.V1.Permissions"><EnumMember>Org.OData.Core.V1.Permission/Read</EnumMember></Annotation>
      </Annotations>
      <Annotations Target="microsoft.graph.user/assignedLicenses">
        <Annotation Term="Org.OData.Core.V1.Description" String="Prose only." />
      </Annotations>
      <Annotations Target="microsoft.graph.drive"><Annotation Term="Org.OData.Core.V1.Computed" Bool="true" /></Annotations>
      <Annotations Target="microsoft.graph.GraphService/users"><Annotation Term="Org.OData.Capabilities.V1.TopSupported" Bool="true" /></Annotations>
      <Annotations Target="microsoft.graph.GraphService/drives"><Annotation Term="Org.OData.Capabilities.V1.TopSupported" Bool="true" /></Annotations>
    </Schema>
    <Schema Namespace="microsoft.graph.other" Alias="self" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="thing" BaseType="graph.entity" />
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
`;

/** What the script must make of it: derived types and the needed complex and enum types kept, the rest gone. */
const EXPECTED = `<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EnumType Name="colour">
        <Member Name="red" Value="0"/>
      </EnumType>
      <ComplexType Name="assignedLicense">
        <Property Name="skuId" Type="Edm.Guid"/>
        <Property Name="colour" Type="graph.colour"/>
      </ComplexType>
      <ComplexType Name="specialLicense" BaseType="graph.assignedLicense">
        <Property Name="extra" Type="Edm.String"/>
      </ComplexType>
      <EntityType Name="entity" Abstract="true">
        <Key>
          <PropertyRef Name="id"/>
        </Key>
        <Property Name="id" Type="Edm.String" Nullable="false"/>
      </EntityType>
      <EntityType Name="directoryObject" BaseType="graph.entity" OpenType="true">
        <Property Name="deletedDateTime" Type="Edm.DateTimeOffset"/>
      </EntityType>
      <EntityType Name="user" BaseType="graph.directoryObject" OpenType="true">
        <Property Name="assignedLicenses" Type="Collection(graph.assignedLicense)" Nullable="false"/>
        <Property Name="createdDateTime" Type="Edm.DateTimeOffset"/>
        <NavigationProperty Name="manager" Type="graph.directoryObject"/>
      </EntityType>
      <EntityType Name="group" BaseType="graph.directoryObject" OpenType="true">
        <Property Name="displayName" Type="Edm.String"/>
      </EntityType>
      <Function Name="delta" IsBound="true">
        <Parameter Name="bindingParameter" Type="Collection(graph.user)"/>
        <ReturnType Type="Collection(graph.user)"/>
      </Function>
      <EntityContainer Name="GraphService">
        <EntitySet Name="users" EntityType="microsoft.graph.user">
          <NavigationPropertyBinding Path="manager" Target="directoryObjects"/>
        </EntitySet>
        <EntitySet Name="directoryObjects" EntityType="microsoft.graph.directoryObject"/>
      </EntityContainer>
      <Annotations Target="microsoft.graph.user/createdDateTime">
        <Annotation Term="Org.OData.Core.V1.Computed" Bool="true"/>
        <Annotation Term="Org.OData.Core.V1.Permissions">
          <EnumMember>Org.OData.Core.V1.Permission/Read</EnumMember>
        </Annotation>
      </Annotations>
      <Annotations Target="microsoft.graph.GraphService/users">
        <Annotation Term="Org.OData.Capabilities.V1.TopSupported" Bool="true"/>
      </Annotations>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
`;

describe("the Graph schema fixture script", () => {
  it("keeps what Rewind touches of a CSDL, with base, derived, complex and enum types, and drops the rest", () => {
    expect(extractRewindCsdl(SYNTHETIC)).toBe(EXPECTED);
  });

  it("made the committed fixture: extracting it again gives the same text byte for byte", () => {
    // The fixture is a closed subset of Graph's schema: had it been edited by hand or made by another
    // version of the script, a second pass would drop or reorder something.
    const fixture = readFileSync(path.join(__dirname, "..", "fixtures", "graph", "v1.0-rewind.csdl"), "utf8");
    expect(extractRewindCsdl(fixture)).toBe(fixture);
  });

  it("refuses a document that is not CSDL", () => {
    expect(() => extractRewindCsdl("<html><body/></html>")).toThrow("not a CSDL document");
  });
});
